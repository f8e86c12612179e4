using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;

namespace MisSend.Azure.Storage;

/// <summary>The exposure ledger in Table storage, one partition per job.</summary>
public sealed class TableExposureLedger(StorageClients storage, IOptions<PipelineOptions> options) : IExposureLedger
{
    private readonly TableClient _table = storage.Tables.GetTableClient(options.Value.LedgerTable);

    public Task RecordAsync(IReadOnlyList<LedgerDelivery> deliveries, CancellationToken ct) =>
        _table.UpsertAllAsync(deliveries.Select(d => new DeliveryEntity
        {
            PartitionKey = d.JobId,
            RowKey = DeliveryRow(d.Recipient, d.Chunk, d.SubjectKey),
            Chunk = d.Chunk,
            Personalization = d.Personalization,
            Recipient = d.Recipient,
            SubjectKey = d.SubjectKey,
            SubjectEmail = d.SubjectEmail,
            Categories = StoredJson.Categories(d.Categories),
            OwnerConfirmed = d.OwnerConfirmed,
            Misdirected = d.Misdirected,
            SubjectName = d.SubjectName,
            Relationship = d.Relationship,
        }), ct);

    public async Task<IReadOnlyList<DeliveryClaim>> ClaimAsync(IReadOnlyList<DeliveryClaim> claims, CancellationToken ct)
    {
        var rows = claims.Select(c => new DeliveryClaimEntity
        {
            PartitionKey = c.JobId,
            RowKey = ClaimRow(c.Key),
            Key = c.Key,
            Chunk = c.Chunk,
        }).ToList();
        var existing = new List<DeliveryClaim>();
        foreach (var taken in await _table.AddNewAsync(rows, ct))
        {
            if (await _table.FindAsync<DeliveryClaimEntity>(taken.PartitionKey, taken.RowKey, ct) is { } stored)
            {
                existing.Add(new DeliveryClaim(stored.PartitionKey, stored.Key, stored.Chunk));
            }
        }

        return existing;
    }

    public async Task<IReadOnlyList<LedgerDelivery>> DeliveriesToAsync(string jobId, string recipient, CancellationToken ct) =>
        (await _table.ListAsync<DeliveryEntity>(StorageKeys.PrefixFilter(jobId, $"dlv-{Keys.Hash(recipient)}-"), ct)).Select(ToRecord).ToList();

    public async Task<IReadOnlyList<LedgerDelivery>> DeliveriesAsync(string jobId, CancellationToken ct) =>
        (await _table.ListAsync<DeliveryEntity>(StorageKeys.PrefixFilter(jobId, "dlv-"), ct)).Select(ToRecord).ToList();

    private static LedgerDelivery ToRecord(DeliveryEntity e) =>
        new(e.PartitionKey, e.Chunk, e.Personalization, e.Recipient, e.SubjectKey, e.SubjectEmail, StoredJson.ReadCategories(e.Categories), e.OwnerConfirmed, e.Misdirected,
            e.SubjectName, e.Relationship);

    private static string ClaimRow(string key) => "claim-" + Keys.Hash(key);

    private static string DeliveryRow(string recipient, int chunk, string subjectKey) => $"dlv-{Keys.Hash(recipient)}-{chunk:D5}-{Keys.Hash(subjectKey)}";
}
