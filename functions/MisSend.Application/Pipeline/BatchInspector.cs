using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Core.Batches;

namespace MisSend.Application.Pipeline;

/// <summary>
/// The InspectBatch work: read the queue message (inline, or by a safe claim-check pointer), validate it, and hand
/// its chunk to the send path. Anything that is not a batch we may send is set aside with its reason, never retried.
/// </summary>
public sealed class BatchInspector(
    IClaimCheckStore claimChecks,
    IBodyStore bodies,
    ChunkPipeline pipeline,
    IOptions<InspectionOptions> options,
    ILogger<BatchInspector> logger)
{
    public async Task<InspectionResult> HandleAsync(string message, string messageId, CancellationToken ct)
    {
        var read = await ReadAsync(message, messageId, ct);
        if (read.Problem is { } problem)
        {
            return await RejectAsync(read, message, messageId, problem, ct);
        }

        var result = await pipeline.ProcessAsync(read.Batch!, read.JobId!, read.Body!, ct);
        if (result.Outcome == InspectionOutcome.Rejected)
        {
            return await RejectAsync(read, message, messageId, result.Reason!, ct);
        }

        // The chunk's body is kept by the send path from its claim on; the claim-check copy has done its job.
        if (read.ClaimCheck is { } blob)
        {
            await claimChecks.DeleteAsync(blob, ct);
        }

        return result;
    }

    /// <summary>The message failed every attempt (the poison queue's trigger): set it aside and leave its chunk visible.</summary>
    public async Task RecordPoisonedAsync(string message, string messageId, CancellationToken ct)
    {
        var read = await ReadAsync(message, messageId, ct);
        var name = $"poisoned/{messageId}";
        var reason = read.Problem ?? "the message failed every attempt and was moved to the poison queue";
        await bodies.SetAsideAsync(name, read.Body ?? Encoding.UTF8.GetBytes(message), Reason("poisoned", messageId, reason), ct);
        if (read.Problem is null)
        {
            await pipeline.RecordPoisonedAsync(read.Batch!, read.JobId!, read.Body!, name, ct);
        }

        logger.LogError("Message {MessageId} ({JobId} chunk {Chunk}) failed every attempt; set aside as {Name}", messageId, read.JobId, read.Batch?.Chunk, name);
    }

    private async Task<ReadMessage> ReadAsync(string message, string messageId, CancellationToken ct)
    {
        var pointer = ClaimCheckPointer.Read(message, claimChecks.Container);
        if (pointer.Problem is { } refused)
        {
            return new ReadMessage(null, null, null, null, refused);
        }

        byte[] body;
        OutboundBatch batch;
        try
        {
            if (pointer.BlobName is { } blob)
            {
                body = await claimChecks.ReadAsync(blob, options.Value.MaxBodyBytes, ct)
                    ?? throw new BatchFormatException($"claim-check blob \"{blob}\" not found");
            }
            else
            {
                body = Encoding.UTF8.GetBytes(message);
            }

            batch = BatchParser.Parse(body, options.Value.MaxBodyBytes);
        }
        catch (BatchFormatException e)
        {
            return new ReadMessage(null, null, null, pointer.BlobName, e.ToString());
        }

        var jobId = batch.JobId ?? Keys.JobIdForBareMessage(messageId);
        var problem = JobIds.Problem(jobId)
            ?? (batch.Policy.ContactEmail is { } contact && !ContactAddress.IsValid(contact)
                ? "policy: contactEmail must be a single e-mail address (it becomes the Reply-To of the notices)"
                : null);
        return new ReadMessage(batch, jobId, body, pointer.BlobName, problem);
    }

    private async Task<InspectionResult> RejectAsync(ReadMessage read, string message, string messageId, string reason, CancellationToken ct)
    {
        await bodies.SetAsideAsync($"rejected/{messageId}", read.Body ?? Encoding.UTF8.GetBytes(message), Reason("rejected", messageId, reason), ct);
        logger.LogError("Message {MessageId} rejected and set aside: {Reason}", messageId, reason);
        return new InspectionResult(InspectionOutcome.Rejected, read.JobId ?? "", read.Batch?.Chunk ?? 0, Reason: reason);
    }

    private static string Reason(string verdict, string messageId, string reason) =>
        JsonSerializer.Serialize(new { verdict, messageId, reason }, StoredJson.Options);

    private sealed record ReadMessage(OutboundBatch? Batch, string? JobId, byte[]? Body, string? ClaimCheck, string? Problem);
}
