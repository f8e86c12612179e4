using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using MisSend.Application.Inputs;
using MisSend.Azure.Configuration;
using MisSend.Azure.Storage;

namespace MisSend.Azure.Queueing;

/// <summary>
/// What the sender's batch builder calls instead of SendGrid: puts a batch on the outbound queue, inline when it
/// fits a queue message (64 KB, base64-encoded) and otherwise as a claim-check pointing at a blob.
/// </summary>
public sealed class BatchQueueClient(StorageClients storage, BlobClaimCheckStore claimChecks, IOptions<PipelineOptions> options, IOptions<Application.InspectionOptions> limits)
{
    /// <summary>64 KB of base64 carries 48 KB; keep a margin for the pointer format.</summary>
    public const int InlineLimitBytes = 46 * 1024;

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public QueueClient Queue { get; } = storage.Queues.GetQueueClient(options.Value.OutboundQueue);

    /// <summary>Enqueues a bare SendGrid body or an envelope. Returns true when it went by claim-check.</summary>
    public async Task<bool> EnqueueAsync(string batchJson, CancellationToken ct = default)
    {
        var bytes = Encoding.UTF8.GetBytes(batchJson);
        var max = limits.Value.MaxBodyBytes;
        if (bytes.Length > max)
        {
            throw new ArgumentException($"batch is {bytes.Length:N0} bytes; the limit is {max:N0}", nameof(batchJson));
        }

        if (bytes.Length <= InlineLimitBytes)
        {
            await Queue.SendMessageAsync(batchJson, ct);
            return false;
        }

        var name = $"{DateTimeOffset.UtcNow:yyyyMMdd}/{Guid.NewGuid():N}.json";
        await claimChecks.UploadAsync(name, bytes, ct);
        await Queue.SendMessageAsync(ClaimCheckPointer.Create(claimChecks.Container, name, bytes.Length), ct);
        return true;
    }

    public Task EnqueueAsync<T>(T envelope, CancellationToken ct = default) =>
        EnqueueAsync(JsonSerializer.Serialize(envelope, Json), ct);
}
