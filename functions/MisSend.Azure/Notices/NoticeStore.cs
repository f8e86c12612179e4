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

    public Task<List<NoticeEntity>> ListAsync(string incidentId, CancellationToken ct) =>
        _table.ListAsync<NoticeEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {incidentId}"), ct);

    public Task<NoticeEntity?> GetAsync(string incidentId, string rowKey, CancellationToken ct) => _table.FindAsync<NoticeEntity>(incidentId, rowKey, ct);

    /// <summary>Inserts new notices already claimed for a wave. Returns those this caller inserted; a row that exists belongs to whoever wrote it.</summary>
    public async Task<List<NoticeEntity>> InsertClaimedAsync(IReadOnlyList<NoticeEntity> rows, CancellationToken ct)
    {
        var taken = (await _table.AddNewAsync(rows, ct)).ToHashSet();
        return rows.Where(r => !taken.Contains(r)).ToList();
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
