using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using MisSend.Application.Pipeline;

namespace MisSend.Functions;

/// <summary>Every outbound batch passes here: pass is sent through SendGrid, a leak halts the whole job.</summary>
public sealed class InspectBatch(BatchInspector inspector)
{
    [Function(nameof(InspectBatch))]
    public Task Run([QueueTrigger("%OutboundQueueName%")] QueueMessage message, CancellationToken ct) =>
        inspector.HandleAsync(message.Body.ToString(), message.MessageId, ct);
}
