using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using MisSend.Application.Pipeline;

namespace MisSend.Functions;

/// <summary>A batch that failed every attempt (the host moved it to the poison queue) is set aside and its chunk left visible.</summary>
public sealed class RecordPoisonedBatch(BatchInspector inspector)
{
    [Function(nameof(RecordPoisonedBatch))]
    public Task Run([QueueTrigger("%OutboundQueueName%-poison")] QueueMessage message, CancellationToken ct) =>
        inspector.RecordPoisonedAsync(message.Body.ToString(), message.MessageId, ct);
}
