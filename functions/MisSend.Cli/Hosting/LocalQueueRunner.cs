using Azure.Storage.Queues.Models;
using MisSend.Azure.Configuration;
using MisSend.Azure.Pipeline;
using MisSend.Azure.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MisSend.Cli.Hosting;

/// <summary>
/// Does what the Functions host does for the queue trigger, for machines without it: receive with a visibility
/// timeout, run the handler, delete on success, leave for retry on failure, move to the poison queue after
/// <see cref="MaxDequeueCount"/> attempts (host.json's queues.maxDequeueCount).
/// </summary>
public sealed class LocalQueueRunner(StorageClients storage, InspectBatchHandler handler, IOptions<PipelineOptions> options, ILogger<LocalQueueRunner> logger)
{
    public const int MaxDequeueCount = 5;

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
        var results = new List<InspectionResult>();
        QueueMessage[] messages = (await queue.ReceiveMessagesAsync(16, VisibilityTimeout, ct)).Value;
        foreach (var message in messages)
        {
            if (message.DequeueCount > MaxDequeueCount)
            {
                await storage.Queues.GetQueueClient(options.Value.PoisonQueue).SendMessageAsync(message.Body, cancellationToken: ct);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                logger.LogError("Message {MessageId} moved to {PoisonQueue} after {Count} attempts", message.MessageId, options.Value.PoisonQueue, message.DequeueCount - 1);
                continue;
            }

            try
            {
                results.Add(await handler.HandleAsync(message.Body.ToString(), message.MessageId, ct));
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Like the host: the message becomes visible again after the timeout and is retried.
                logger.LogWarning("Message {MessageId} attempt {Attempt} failed: {Error}", message.MessageId, message.DequeueCount, e.Message);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, RetryBackoff.Ticks * message.DequeueCount)), cancellationToken: ct);
            }
        }

        return results;
    }
}
