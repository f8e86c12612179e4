using Azure;
using Azure.Data.Tables;
using MisSend.Azure.Configuration;
using MisSend.Azure.Storage;
using Microsoft.Extensions.Options;

namespace MisSend.Azure.Notices;

public sealed class NoticeStore(StorageClients storage, IOptions<PipelineOptions> options)
{
    private readonly TableClient _table = storage.Tables.GetTableClient(options.Value.NoticesTable);

    public static string RowKey(string kind, string email) => $"{kind}-{StorageKeys.Hash(email)}";

    public async Task<List<NoticeEntity>> ListAsync(string incidentId, CancellationToken ct)
    {
        var list = new List<NoticeEntity>();
        await foreach (var n in _table.QueryAsync<NoticeEntity>(e => e.PartitionKey == incidentId, cancellationToken: ct))
        {
            list.Add(n);
        }

        return list;
    }

    public Task<NoticeEntity?> GetAsync(string incidentId, string rowKey, CancellationToken ct) => _table.FindAsync<NoticeEntity>(incidentId, rowKey, ct);

    /// <summary>Inserts new notices already claimed for a wave. Returns those this caller inserted; a row that exists belongs to whoever wrote it.</summary>
    public async Task<List<NoticeEntity>> InsertClaimedAsync(IReadOnlyList<NoticeEntity> rows, CancellationToken ct)
    {
        var inserted = new List<NoticeEntity>();
        foreach (var group in rows.Chunk(100))
        {
            try
            {
                var response = await _table.SubmitTransactionAsync(group.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), ct);
                for (var i = 0; i < group.Length; i++)
                {
                    group[i].ETag = response.Value[i].Headers.ETag ?? ETag.All;
                }

                inserted.AddRange(group);
                continue;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // Another dispatcher got some of these first: insert one by one, keep what we win.
            }

            foreach (var row in group)
            {
                try
                {
                    var response = await _table.AddEntityAsync(row, ct);
                    row.ETag = response.Headers.ETag ?? ETag.All;
                    inserted.Add(row);
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                }
            }
        }

        return inserted;
    }

    /// <summary>Conditional update (ETag): true when this caller's change won.</summary>
    public Task<bool> TryUpdateAsync(NoticeEntity row, CancellationToken ct) => _table.TryReplaceAsync(row, ct);

    /// <summary>Marks a wave's rows sent in transactions of 100, each row conditional on the ETag we claimed it with.</summary>
    public async Task CompleteAsync(IReadOnlyList<NoticeEntity> rows, CancellationToken ct)
    {
        foreach (var group in rows.Chunk(100))
        {
            try
            {
                await _table.SubmitTransactionAsync(group.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateReplace, r, r.ETag)), ct);
            }
            catch (TableTransactionFailedException)
            {
                foreach (var row in group)
                {
                    await TryUpdateAsync(row, ct);
                }
            }
        }
    }
}
