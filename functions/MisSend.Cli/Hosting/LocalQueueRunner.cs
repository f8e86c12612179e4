using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Pipeline;
using MisSend.Azure.Configuration;
using MisSend.Azure.Storage;

namespace MisSend.Cli.Hosting;

/// <summary>
/// Does what the Functions host does for the queue triggers, for machines without it: receive with a visibility
/// timeout, run the handler, delete on success, leave for retry on failure, and after host.json's maxDequeueCount
/// attempts move the message to the poison queue, whose trigger then records it.
/// </summary>
public sealed class LocalQueueRunner(StorageClients storage, BatchInspector inspector, IOptions<PipelineOptions> options, HostSettings host, ILogger<LocalQueueRunner> logger)
{
    public int MaxDequeueCount => host.MaxDequeueCount;

    public TimeSpan VisibilityTimeout
    {
        get;
        init => field = value >= TimeSpan.FromSeconds(1) ? value : throw new ArgumentOutOfRangeException(nameof(VisibilityTimeout), "the queue service counts whole seconds: use at least 1 s");
    } = TimeSpan.FromSeconds(30);

    /// <summary>After a failed attempt the message stays invisible for this times its dequeue count (at most 30 s).</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Processes what is visible now; returns the results (empty when the queue is empty).</summary>
    public async Task<List<InspectionResult>> DrainOnceAsync(CancellationToken ct)
    {
        var queue = storage.Queues.GetQueueClient(options.Value.OutboundQueue);
        var poison = storage.Queues.GetQueueClient(options.Value.PoisonQueue);
        var results = new List<InspectionResult>();
        QueueMessage[] messages = (await queue.ReceiveMessagesAsync(16, VisibilityTimeout, ct)).Value;
        foreach (var message in messages)
        {
            if (message.DequeueCount > MaxDequeueCount)
            {
                await poison.SendMessageAsync(message.Body, cancellationToken: ct);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                logger.LogError("Message {MessageId} moved to {PoisonQueue} after {Count} attempts", message.MessageId, options.Value.PoisonQueue, message.DequeueCount - 1);
                continue;
            }

            try
            {
                results.Add(await inspector.HandleAsync(message.Body.ToString(), message.MessageId, ct));
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Like the host: the message becomes visible again after the timeout and is retried.
                logger.LogWarning("Message {MessageId} attempt {Attempt} failed: {Error}", message.MessageId, message.DequeueCount, e.Message);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, RetryBackoff.Ticks * message.DequeueCount)), cancellationToken: ct);
            }
        }

        // The poison queue's trigger (RecordPoisonedBatch in the function app).
        foreach (var message in (await poison.ReceiveMessagesAsync(16, VisibilityTimeout, ct)).Value)
        {
            await inspector.RecordPoisonedAsync(message.Body.ToString(), message.MessageId, ct);
            await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
        }

        return results;
    }
}
