using Azure;
using Azure.Data.Tables;
using MisSend.Azure.Configuration;
using MisSend.Core.Detection;
using Microsoft.Extensions.Options;

namespace MisSend.Azure.Storage;

/// <summary>A recipient of this chunk who already received another data subject's data in an earlier chunk of the job.</summary>
public sealed record ClaimConflict(string Recipient, string NewSubjectKey, string EarlierSubjectKey, int EarlierChunk);

/// <summary>The exposure ledger: who received whose data, per job, in Table storage.</summary>
public sealed class LedgerStore(StorageClients storage, IOptions<PipelineOptions> options)
{
    private readonly TableClient _table = storage.Tables.GetTableClient(options.Value.LedgerTable);

    /// <summary>
    /// Records, before the send, which data subject each recipient gets in this job. The first chunk to claim a
    /// recipient wins (an atomic insert), so chunks racing on two instances still see each other.
    /// </summary>
    public async Task<List<ClaimConflict>> ClaimRecipientsAsync(string jobId, int chunk, IEnumerable<Delivery> deliveries, CancellationToken ct)
    {
        var claims = deliveries.DistinctBy(d => d.Recipient)
            .Select(d => (d.Recipient, Entity: new RecipientClaimEntity { PartitionKey = jobId, RowKey = ClaimRow(d.Recipient), SubjectKey = d.SubjectKey, Chunk = chunk }))
            .ToList();
        var conflicts = new List<ClaimConflict>();
        foreach (var group in claims.Chunk(100))
        {
            try
            {
                await _table.SubmitTransactionAsync(group.Select(c => new TableTransactionAction(TableTransactionActionType.Add, c.Entity)), ct);
                continue;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // Some of these recipients were claimed before: fall back to one insert each.
            }

            foreach (var (recipient, entity) in group)
            {
                if (await _table.TryAddAsync(entity, ct))
                {
                    continue;
                }

                var earlier = await _table.FindAsync<RecipientClaimEntity>(jobId, entity.RowKey, ct);
                if (earlier is not null && earlier.SubjectKey != entity.SubjectKey)
                {
                    conflicts.Add(new ClaimConflict(recipient, entity.SubjectKey, earlier.SubjectKey, earlier.Chunk));
                }
            }
        }

        return conflicts;
    }

    public Task RecordDeliveriesAsync(string jobId, int chunk, IEnumerable<Delivery> deliveries, DateTimeOffset sentAt, CancellationToken ct) =>
        _table.UpsertAllAsync(deliveries.Select(d => new DeliveryEntity
        {
            PartitionKey = jobId,
            RowKey = DeliveryRow(d.Recipient, chunk, d.SubjectKey),
            Recipient = d.Recipient,
            SubjectKey = d.SubjectKey,
            SubjectEmail = d.SubjectEmail,
            Categories = string.Join(',', d.Categories.Select(c => c.Id())),
            Chunk = chunk,
            OwnerConfirmed = d.OwnerConfirmed,
            Misdirected = d.Misdirected,
            SentAt = sentAt,
        }), ct);

    public async Task<List<DeliveryEntity>> DeliveriesToAsync(string jobId, string recipient, CancellationToken ct) =>
        await QueryAsync(TableExtensions.PrefixFilter(jobId, $"dlv-{StorageKeys.Hash(recipient)}-"), ct);

    public async Task<List<DeliveryEntity>> DeliveriesAsync(string jobId, CancellationToken ct) =>
        await QueryAsync(TableExtensions.PrefixFilter(jobId, "dlv-"), ct);

    private async Task<List<DeliveryEntity>> QueryAsync(string filter, CancellationToken ct)
    {
        var list = new List<DeliveryEntity>();
        await foreach (var d in _table.QueryAsync<DeliveryEntity>(filter, cancellationToken: ct))
        {
            list.Add(d);
        }

        return list;
    }

    private static string ClaimRow(string recipient) => "rcpt-" + StorageKeys.Hash(recipient);

    private static string DeliveryRow(string recipient, int chunk, string subjectKey) =>
        $"dlv-{StorageKeys.Hash(recipient)}-{chunk:D5}-{StorageKeys.Hash(subjectKey)}";
}
