using MisSend.Azure.Configuration;
using Microsoft.Extensions.Options;

namespace MisSend.Azure.Storage;

/// <summary>Creates the queues, tables and containers when they are missing (Azurite; in Azure, infra/ creates them).</summary>
public sealed class StorageInitializer(StorageClients storage, IOptions<PipelineOptions> options)
{
    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        await storage.Queues.GetQueueClient(o.OutboundQueue).CreateIfNotExistsAsync(cancellationToken: ct);
        await storage.Queues.GetQueueClient(o.PoisonQueue).CreateIfNotExistsAsync(cancellationToken: ct);
        foreach (var table in new[] { o.JobsTable, o.LedgerTable, o.IncidentsTable, o.NoticesTable })
        {
            await storage.Tables.GetTableClient(table).CreateIfNotExistsAsync(ct);
        }

        foreach (var container in new[] { o.QuarantineContainer, o.ClaimCheckContainer })
        {
            await storage.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: ct);
        }
    }
}
