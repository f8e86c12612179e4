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
        var firstPerRecipient = deliveries.DistinctBy(d => d.Recipient).ToList();
        var recipients = firstPerRecipient.ToDictionary(d => ClaimRow(d.Recipient), d => d.Recipient);
        var claims = firstPerRecipient
            .Select(d => new RecipientClaimEntity { PartitionKey = jobId, RowKey = ClaimRow(d.Recipient), SubjectKey = d.SubjectKey, Chunk = chunk })
            .ToList();
        var conflicts = new List<ClaimConflict>();
        foreach (var claim in await _table.AddNewAsync(claims, ct))
        {
            var earlier = await _table.FindAsync<RecipientClaimEntity>(jobId, claim.RowKey, ct);
            if (earlier is not null && earlier.SubjectKey != claim.SubjectKey)
            {
                conflicts.Add(new ClaimConflict(recipients[claim.RowKey], claim.SubjectKey, earlier.SubjectKey, earlier.Chunk));
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

    public Task<List<DeliveryEntity>> DeliveriesToAsync(string jobId, string recipient, CancellationToken ct) =>
        _table.ListAsync<DeliveryEntity>(TableExtensions.PrefixFilter(jobId, $"dlv-{StorageKeys.Hash(recipient)}-"), ct);

    public Task<List<DeliveryEntity>> DeliveriesAsync(string jobId, CancellationToken ct) =>
        _table.ListAsync<DeliveryEntity>(TableExtensions.PrefixFilter(jobId, "dlv-"), ct);

    private static string ClaimRow(string recipient) => "rcpt-" + StorageKeys.Hash(recipient);

    private static string DeliveryRow(string recipient, int chunk, string subjectKey) =>
        $"dlv-{StorageKeys.Hash(recipient)}-{chunk:D5}-{StorageKeys.Hash(subjectKey)}";
}
