using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;
using MisSend.Core;
using MisSend.Core.Notices;

namespace MisSend.Azure.Storage;

/// <summary>Notices in Table storage, one partition per incident: "KIND-KEY" rows per person (the keyed recipient key), "wave-ID" rows per wave.</summary>
public sealed class TableNoticeStore(StorageClients storage, IOptions<PipelineOptions> options) : INoticeStore
{
    private const string WavePrefix = "wave-";
    private readonly TableClient _table = storage.Tables.GetTableClient(options.Value.NoticesTable);

    public static string RowKey(NoticeKind kind, string recipientKey) => $"{StoredName.Of(kind)}-{recipientKey}";

    public async Task<IReadOnlyList<NoticeRecord>> ListAsync(string incidentId, CancellationToken ct) =>
        (await _table.ListAsync<NoticeEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {incidentId} and RowKey lt {WavePrefix}"), ct))
            .Select(ToRecord).ToList();

    public async Task<NoticeRecord?> GetAsync(string incidentId, NoticeKind kind, string recipientKey, CancellationToken ct) =>
        await _table.FindAsync<NoticeEntity>(incidentId, RowKey(kind, recipientKey), ct) is { } e ? ToRecord(e) : null;

    public async Task<IReadOnlyList<NoticeRecord>> InsertNewAsync(IReadOnlyList<NoticeRecord> rows, CancellationToken ct)
    {
        var entities = rows.Select(ToEntity).ToList();
        var taken = (await _table.AddNewAsync(entities, ct)).ToHashSet();
        return entities.Where(e => !taken.Contains(e)).Select(ToRecord).ToList();
    }

    public async Task<NoticeRecord?> TryReplaceAsync(NoticeRecord row, CancellationToken ct)
    {
        var e = ToEntity(row);
        return await _table.TryReplaceAsync(e, ct) ? ToRecord(e) : null;
    }

    public async Task<IReadOnlyList<NoticeRecord>> ReplaceAllAsync(IReadOnlyList<NoticeRecord> rows, CancellationToken ct) =>
        (await _table.ReplaceAllAsync(rows.Select(ToEntity).ToList(), ct)).Select(ToRecord).ToList();

    public async Task<IReadOnlyList<WaveRecord>> ListWavesAsync(string incidentId, CancellationToken ct) =>
        (await _table.ListAsync<WaveEntity>(StorageKeys.PrefixFilter(incidentId, WavePrefix), ct)).Select(ToRecord).ToList();

    public async Task<WaveRecord?> TryAddWaveAsync(WaveRecord wave, CancellationToken ct)
    {
        var e = ToEntity(wave);
        return await _table.TryAddAsync(e, ct) ? ToRecord(e) : null;
    }

    public async Task<WaveRecord?> TryReplaceWaveAsync(WaveRecord wave, CancellationToken ct)
    {
        var e = ToEntity(wave);
        return await _table.TryReplaceAsync(e, ct) ? ToRecord(e) : null;
    }

    private static NoticeEntity ToEntity(NoticeRecord r) => new()
    {
        PartitionKey = r.IncidentId,
        RowKey = RowKey(r.Kind, r.Key),
        ETag = EntityBase.ETagOf(r.Version),
        Kind = StoredName.Of(r.Kind),
        Email = r.Email,
        Language = r.Language,
        Name = r.Name,
        SubjectKey = r.SubjectKey,
        Categories = StoredJson.Categories(r.Categories),
        RecipientCount = r.RecipientCount,
        MailCount = r.MailCount,
        FirstSentAt = r.FirstSentAt,
        MailSubject = r.MailSubject,
        State = StoredName.Of(r.State),
        WaveId = r.WaveId,
        LeaseUntil = r.LeaseUntil,
        SentAt = r.SentAt,
        Attempts = r.Attempts,
        ConfirmedDeletedAt = r.ConfirmedDeletedAt,
    };

    private static NoticeRecord ToRecord(NoticeEntity e) => new(e.PartitionKey, StoredName.Parse<NoticeKind>(e.Kind), e.Email, e.RowKey[(e.Kind.Length + 1)..])
    {
        Language = e.Language,
        Name = e.Name,
        SubjectKey = e.SubjectKey,
        Categories = StoredJson.ReadCategories(e.Categories),
        RecipientCount = e.RecipientCount,
        MailCount = e.MailCount,
        FirstSentAt = e.FirstSentAt,
        MailSubject = e.MailSubject,
        State = StoredName.Parse<NoticeState>(e.State),
        WaveId = e.WaveId,
        LeaseUntil = e.LeaseUntil,
        SentAt = e.SentAt,
        Attempts = e.Attempts,
        ConfirmedDeletedAt = e.ConfirmedDeletedAt,
        Version = e.Version,
    };

    private static WaveEntity ToEntity(WaveRecord r) => new()
    {
        PartitionKey = r.IncidentId,
        RowKey = WavePrefix + r.WaveId,
        ETag = EntityBase.ETagOf(r.Version),
        Kind = StoredName.Of(r.Kind),
        Language = r.Language,
        Count = r.Count,
        State = StoredName.Of(r.State),
        AttemptedAt = r.AttemptedAt,
        LeaseUntil = r.LeaseUntil,
        SentAt = r.SentAt,
        Checks = r.Checks,
        NextCheckAt = r.NextCheckAt,
        Reason = r.Reason,
    };

    private static WaveRecord ToRecord(WaveEntity e) => new(e.PartitionKey, e.RowKey[WavePrefix.Length..], StoredName.Parse<NoticeKind>(e.Kind), e.Language, e.Count)
    {
        State = StoredName.Parse<NoticeState>(e.State),
        AttemptedAt = e.AttemptedAt,
        LeaseUntil = e.LeaseUntil,
        SentAt = e.SentAt,
        Checks = e.Checks,
        NextCheckAt = e.NextCheckAt,
        Reason = e.Reason,
        Version = e.Version,
    };
}
