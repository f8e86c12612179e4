using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;

namespace MisSend.Azure.Storage;

/// <summary>Incidents in Table storage, one partition per incident: the incident row, its events, findings and exposure candidates.</summary>
public sealed class TableIncidentStore(StorageClients storage, IOptions<PipelineOptions> options) : IIncidentStore
{
    private readonly TableClient _table = storage.Tables.GetTableClient(options.Value.IncidentsTable);

    public async Task<IncidentRecord?> GetAsync(string incidentId, CancellationToken ct) =>
        await _table.FindAsync<IncidentEntity>(incidentId, IncidentEntity.Row, ct) is { } e ? ToRecord(e) : null;

    public async Task<IncidentRecord?> TryAddAsync(IncidentRecord incident, CancellationToken ct)
    {
        var e = ToEntity(incident);
        return await _table.TryAddAsync(e, ct) ? ToRecord(e) : null;
    }

    public async Task<IncidentRecord?> TryReplaceAsync(IncidentRecord incident, CancellationToken ct)
    {
        var e = ToEntity(incident);
        return await _table.TryReplaceAsync(e, ct) ? ToRecord(e) : null;
    }

    public async Task<IReadOnlyList<IncidentRecord>> ListOpenAsync(CancellationToken ct) =>
        (await _table.ListAsync<IncidentEntity>(TableClient.CreateQueryFilter(
            $"RowKey eq {IncidentEntity.Row} and Status eq {StoredName.Of(IncidentStatus.Open)}"), ct)).Select(ToRecord).ToList();

    public Task AppendEventAsync(IncidentEvent incidentEvent, CancellationToken ct) =>
        _table.AddEntityAsync(new IncidentEventEntity
        {
            PartitionKey = incidentEvent.IncidentId,
            RowKey = $"evt-{incidentEvent.At.UtcTicks:D19}-{Guid.NewGuid():N}",
            At = incidentEvent.At,
            Kind = StoredName.Of(incidentEvent.Kind),
            Who = incidentEvent.Who,
            Detail = incidentEvent.Detail,
            Chunk = incidentEvent.Chunk,
        }, ct);

    public async Task<IReadOnlyList<IncidentEvent>> EventsAsync(string incidentId, CancellationToken ct) =>
        (await _table.ListAsync<IncidentEventEntity>(StorageKeys.PrefixFilter(incidentId, "evt-"), ct))
            .Select(e => new IncidentEvent(e.PartitionKey, e.At, StoredName.Parse<IncidentEventKind>(e.Kind), e.Who, e.Detail, e.Chunk))
            .ToList();

    public Task SaveFindingsAsync(ChunkFindings findings, CancellationToken ct) =>
        _table.UpsertEntityAsync(new FindingsEntity
        {
            PartitionKey = findings.IncidentId,
            RowKey = $"findings-{findings.Chunk:D5}",
            Chunk = findings.Chunk,
            FindingsJson = StoredJson.Findings(findings.Findings),
            DetectedAt = findings.DetectedAt,
        }, TableUpdateMode.Replace, ct);

    public async Task<IReadOnlyList<ChunkFindings>> FindingsAsync(string incidentId, CancellationToken ct) =>
        (await _table.ListAsync<FindingsEntity>(StorageKeys.PrefixFilter(incidentId, "findings-"), ct))
            .Select(e => new ChunkFindings(e.PartitionKey, e.Chunk, StoredJson.ReadFindings(e.FindingsJson), e.DetectedAt))
            .ToList();

    public Task AddExposureCandidatesAsync(IReadOnlyList<ExposureCandidate> candidates, CancellationToken ct) =>
        _table.UpsertAllAsync(candidates.Select(c => new ExposureEntity
        {
            PartitionKey = c.IncidentId,
            RowKey = $"exp-{Keys.Hash(c.Recipient)}-{c.Chunk:D5}-{Keys.Hash(c.SubjectKey)}",
            Chunk = c.Chunk,
            Recipient = c.Recipient,
            SubjectKey = c.SubjectKey,
            SubjectEmail = c.SubjectEmail,
            Categories = StoredJson.Categories(c.Categories),
        }), ct);

    public async Task<IReadOnlyList<ExposureCandidate>> ExposureCandidatesAsync(string incidentId, CancellationToken ct) =>
        (await _table.ListAsync<ExposureEntity>(StorageKeys.PrefixFilter(incidentId, "exp-"), ct))
            .Select(e => new ExposureCandidate(e.PartitionKey, e.Chunk, e.Recipient, e.SubjectKey, e.SubjectEmail, StoredJson.ReadCategories(e.Categories)))
            .ToList();

    private static IncidentEntity ToEntity(IncidentRecord r) => new()
    {
        PartitionKey = r.IncidentId,
        RowKey = IncidentEntity.Row,
        ETag = EntityBase.ETagOf(r.Version),
        JobId = r.JobId,
        Source = StoredName.Of(r.Source),
        Status = StoredName.Of(r.Status),
        Reason = r.Reason,
        Language = r.Language,
        ContactEmail = r.ContactEmail,
        OpenedAt = r.OpenedAt,
    };

    private static IncidentRecord ToRecord(IncidentEntity e) => new(e.PartitionKey, e.JobId)
    {
        Source = StoredName.Parse<IncidentSource>(e.Source),
        Status = StoredName.Parse<IncidentStatus>(e.Status),
        Reason = e.Reason,
        Language = e.Language,
        ContactEmail = e.ContactEmail,
        OpenedAt = e.OpenedAt,
        Version = e.Version,
    };
}
