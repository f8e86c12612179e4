using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using MisSend.Azure.Configuration;
using MisSend.Azure.Storage;
using Microsoft.Extensions.Options;

namespace MisSend.Azure.Queueing;

/// <summary>
/// What the sender's batch builder calls instead of SendGrid: puts a batch on the outbound queue, inline when it
/// fits a queue message (64 KB, base64-encoded) and otherwise as a claim-check pointing at a blob.
/// </summary>
public sealed class BatchQueueClient(StorageClients storage, BlobStore blobs, IOptions<PipelineOptions> options)
{
    /// <summary>64 KB of base64 carries 48 KB; keep a margin for the pointer format.</summary>
    public const int InlineLimitBytes = 46 * 1024;

    private readonly QueueClient _queue = storage.Queues.GetQueueClient(options.Value.OutboundQueue);

    public QueueClient Queue => _queue;

    /// <summary>Enqueues a bare SendGrid body or an envelope. Returns true when it went by claim-check.</summary>
    public async Task<bool> EnqueueAsync(string batchJson, CancellationToken ct = default)
    {
        var bytes = Encoding.UTF8.GetBytes(batchJson);
        if (bytes.Length > options.Value.MaxBodyBytes)
        {
            throw new ArgumentException($"batch is {bytes.Length:N0} bytes; the limit is {options.Value.MaxBodyBytes:N0}", nameof(batchJson));
        }

        if (bytes.Length <= InlineLimitBytes)
        {
            await _queue.SendMessageAsync(batchJson, ct);
            return false;
        }

        var name = $"{DateTimeOffset.UtcNow:yyyyMMdd}/{Guid.NewGuid():N}.json";
        await blobs.UploadClaimCheckAsync(name, bytes, ct);
        await _queue.SendMessageAsync(ClaimCheck.Pointer(blobs.ClaimCheckContainer, name, bytes.Length), ct);
        return true;
    }

    public Task EnqueueAsync<T>(T envelope, CancellationToken ct = default) =>
        EnqueueAsync(JsonSerializer.Serialize(envelope, ClaimCheck.JsonOptions), ct);
}

/// <summary>The claim-check message: <c>{"claimCheck":{"container":"claim-check","blob":"…","bytes":N}}</c>.</summary>
public static class ClaimCheck
{
    internal static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Pointer(string container, string blob, long bytes) =>
        JsonSerializer.Serialize(new { claimCheck = new { container, blob, bytes } });

    /// <summary>The blob name when the message is a claim-check pointer, else null (the message is the batch).</summary>
    public static string? BlobName(string message)
    {
        if (message.Length > 2048 || !message.Contains("\"claimCheck\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(message);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("claimCheck", out var cc)
                && cc.ValueKind == JsonValueKind.Object
                && cc.TryGetProperty("blob", out var blob) && blob.ValueKind == JsonValueKind.String
                ? blob.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
