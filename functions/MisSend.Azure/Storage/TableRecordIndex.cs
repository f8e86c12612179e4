using MisSend.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;

namespace MisSend.Azure.Storage;

/// <summary>The console's lists, read from the jobs and incidents tables (only keys and timestamps are selected).</summary>
public sealed class TableRecordIndex(StorageClients storage, IOptions<PipelineOptions> options) : IRecordIndex
{
    private static readonly string[] Keys = ["PartitionKey", "RowKey", "Timestamp"];

    private readonly TableClient _jobs = storage.Tables.GetTableClient(options.Value.JobsTable);
    private readonly TableClient _incidents = storage.Tables.GetTableClient(options.Value.IncidentsTable);

    public Task<IReadOnlyList<string>> RecentIncidentsAsync(int max, CancellationToken ct) =>
        RecentAsync(_incidents, TableClient.CreateQueryFilter($"RowKey eq {IncidentEntity.Row}"), max, ct);

    public Task<IReadOnlyList<string>> RecentJobsAsync(int max, CancellationToken ct) =>
        RecentAsync(_jobs, TableClient.CreateQueryFilter($"RowKey eq {JobEntity.Row}"), max, ct);

    public async Task<IReadOnlyList<(string JobId, int Chunk)>> QuarantinedChunksAsync(CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"State eq {StoredName.Of(ChunkState.Quarantined)}");
        var chunks = new List<(string, int)>();
        await foreach (var row in _jobs.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            if (row.RowKey.StartsWith("chunk-", StringComparison.Ordinal) && int.TryParse(row.RowKey["chunk-".Length..], out var chunk))
            {
                chunks.Add((row.PartitionKey, chunk));
            }
        }

        return chunks;
    }

    // Table storage has no order but its keys: the rows are few (one per job or incident), so they are sorted here.
    private static async Task<IReadOnlyList<string>> RecentAsync(TableClient table, string filter, int max, CancellationToken ct)
    {
        var rows = new List<(string Id, DateTimeOffset Changed)>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: Keys, cancellationToken: ct))
        {
            rows.Add((row.PartitionKey, row.Timestamp ?? DateTimeOffset.MinValue));
        }

        return rows.OrderByDescending(r => r.Changed).Take(max).Select(r => r.Id).ToList();
    }
}
