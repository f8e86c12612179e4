using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;
using MisSend.Core;
using MisSend.Core.Incidents;
using MisSend.Core.Reports;

namespace MisSend.Azure.Storage;

/// <summary>Incidents in Table storage, one partition per incident: the incident row, its events, findings and exposure candidates.</summary>
public sealed class TableIncidentStore(StorageClients storage, IOptions<PipelineOptions> options) : IIncidentStore
{
    private readonly TableClient _table = storage.Tables.GetTableClient(options.Value.IncidentsTable);

    public async Task<IncidentRecord?> GetAsync(string incidentId, CancellationToken ct) =>
        await _table.FindAsync<IncidentEntity>(incidentId, IncidentEntity.Row, ct) is { } e ? await ToRecordAsync(e, ct) : null;

    public async Task<IncidentRecord?> TryAddAsync(IncidentRecord incident, CancellationToken ct)
    {
        var e = await ToEntityAsync(incident, ct);
        return await _table.TryAddAsync(e, ct) ? incident with { Version = e.Version } : null;
    }

    public async Task<IncidentRecord?> TryReplaceAsync(IncidentRecord incident, CancellationToken ct)
    {
        var e = await ToEntityAsync(incident, ct);
        return await _table.TryReplaceAsync(e, ct) ? incident with { Version = e.Version } : null;
    }

    public async Task<IReadOnlyList<IncidentRecord>> ListOpenAsync(CancellationToken ct)
    {
        var open = new List<IncidentRecord>();
        foreach (var e in await _table.ListAsync<IncidentEntity>(TableClient.CreateQueryFilter(
                     $"RowKey eq {IncidentEntity.Row} and Status eq {StoredName.Of(IncidentStatus.Open)}"), ct))
        {
            open.Add(await ToRecordAsync(e, ct));
        }

        return open;
    }

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
            Count = incidentEvent.Count,
            Reason = incidentEvent.Reason,
        }, ct);

    public async Task<IReadOnlyList<IncidentEvent>> EventsAsync(string incidentId, CancellationToken ct) =>
        (await _table.ListAsync<IncidentEventEntity>(StorageKeys.PrefixFilter(incidentId, "evt-"), ct))
            .Select(e => new IncidentEvent(e.PartitionKey, e.At, StoredName.Parse<IncidentEventKind>(e.Kind), e.Who, e.Detail, e.Chunk, e.Count, e.Reason))
            .ToList();

    public Task SaveFindingsAsync(ChunkFindings findings, CancellationToken ct) =>
        _table.UpsertEntityAsync(new FindingsEntity
        {
            PartitionKey = findings.IncidentId,
            RowKey = $"findings-{findings.Chunk:D5}",
            Chunk = findings.Chunk,
            FindingsJson = StoredJson.Findings(findings.Findings),
            DetectedAt = findings.DetectedAt,
            PreventedSubjects = findings.PreventedSubjects,
            PreventedRecipients = findings.PreventedRecipients,
        }, TableUpdateMode.Replace, ct);

    public async Task<IReadOnlyList<ChunkFindings>> FindingsAsync(string incidentId, CancellationToken ct) =>
        (await _table.ListAsync<FindingsEntity>(StorageKeys.PrefixFilter(incidentId, "findings-"), ct))
            .Select(e => new ChunkFindings(e.PartitionKey, e.Chunk, StoredJson.ReadFindings(e.FindingsJson), e.DetectedAt, e.PreventedSubjects, e.PreventedRecipients))
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
            SubjectName = c.SubjectName,
        }), ct);

    public async Task<IReadOnlyList<ExposureCandidate>> ExposureCandidatesAsync(string incidentId, CancellationToken ct) =>
        (await _table.ListAsync<ExposureEntity>(StorageKeys.PrefixFilter(incidentId, "exp-"), ct))
            .Select(e => new ExposureCandidate(e.PartitionKey, e.Chunk, e.Recipient, e.SubjectKey, e.SubjectEmail, StoredJson.ReadCategories(e.Categories), e.SubjectName))
            .ToList();

    public async Task<NotMineReport?> TryAddNotMineReportAsync(NotMineReport report, CancellationToken ct)
    {
        var e = ToEntity(report);
        return await _table.TryAddAsync(e, ct) ? report with { Version = e.Version } : null;
    }

    public async Task<NotMineReport?> TryReplaceNotMineReportAsync(NotMineReport report, CancellationToken ct)
    {
        var e = ToEntity(report);
        return await _table.TryReplaceAsync(e, ct) ? report with { Version = e.Version } : null;
    }

    public async Task<IReadOnlyList<NotMineReport>> NotMineReportsAsync(string incidentId, CancellationToken ct) =>
        (await _table.ListAsync<NotMineReportEntity>(StorageKeys.PrefixFilter(incidentId, NotMineRow), ct))
            .Select(e => new NotMineReport(e.PartitionKey, e.JobId, e.Chunk, e.Personalization)
            {
                ReportedAt = e.ReportedAt,
                Parts = e.Parts.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(StoredName.Parse<NotMinePart>).ToArray(),
                Suspected = JsonSerializer.Deserialize<List<SuspectedDelivery>>(e.SuspectedJson, StoredJson.Options) ?? [],
                ActedAt = e.ActedAt,
                AlertedAt = e.AlertedAt,
                Version = e.Version,
            })
            .ToList();

    private const string NotMineRow = "notmine-";

    private static NotMineReportEntity ToEntity(NotMineReport r) => new()
    {
        PartitionKey = r.IncidentId,
        RowKey = $"{NotMineRow}{r.Chunk:D5}-{r.Personalization:D5}",
        ETag = EntityBase.ETagOf(r.Version),
        JobId = r.JobId,
        Chunk = r.Chunk,
        Personalization = r.Personalization,
        ReportedAt = r.ReportedAt,
        Parts = string.Join(',', r.Parts.Select(StoredName.Of)),
        SuspectedJson = JsonSerializer.Serialize(r.Suspected, StoredJson.Options),
        ActedAt = r.ActedAt,
        AlertedAt = r.AlertedAt,
    };

    private async Task<IncidentEntity> ToEntityAsync(IncidentRecord r, CancellationToken ct) => new()
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
        KindHistoryJson = JsonSerializer.Serialize(r.KindHistory, StoredJson.Options),
        DeclarationsJson = JsonSerializer.Serialize(await StoreDeclarationsAsync(r, ct), StoredJson.Options),
        NoticesStarted = r.NoticesStarted,
        RecordsJson = JsonSerializer.Serialize(r.Records, StoredJson.Options),
        LastReportAt = r.LastReportAt,
        LastAlertAt = r.LastAlertAt,
    };

    private async Task<IncidentRecord> ToRecordAsync(IncidentEntity e, CancellationToken ct) => new(e.PartitionKey, e.JobId)
    {
        Source = StoredName.Parse<IncidentSource>(e.Source),
        Status = StoredName.Parse<IncidentStatus>(e.Status),
        Reason = e.Reason,
        Language = e.Language,
        ContactEmail = e.ContactEmail,
        OpenedAt = e.OpenedAt,
        KindHistory = JsonSerializer.Deserialize<List<KindChange>>(e.KindHistoryJson, StoredJson.Options) ?? [],
        Declarations = await ReadDeclarationsAsync(e, ct),
        NoticesStarted = e.NoticesStarted,
        Records = JsonSerializer.Deserialize<OperatorRecords>(e.RecordsJson, StoredJson.Options) ?? OperatorRecords.None,
        LastReportAt = e.LastReportAt,
        LastAlertAt = e.LastAlertAt,
        Version = e.Version,
    };

    /// <summary>A declaration as the incident row holds it: a list's lines are kept in their own rows, named by their content.</summary>
    private sealed record StoredDeclaration(ScopeDeclaration Declaration, string? Pairs);

    /// <summary>
    /// A declared list may have thousands of lines, more than a table property holds: its lines go to rows named by a
    /// hash of their content, written (once) before the incident row that refers to them, so a crash leaves at most
    /// rows nobody refers to.
    /// </summary>
    private async Task<List<StoredDeclaration>> StoreDeclarationsAsync(IncidentRecord r, CancellationToken ct)
    {
        var stored = new List<StoredDeclaration>();
        foreach (var d in r.Declarations)
        {
            if (d.Pairs is not { Count: > 0 } pairs)
            {
                stored.Add(new StoredDeclaration(d, null));
                continue;
            }

            var json = JsonSerializer.Serialize(pairs, StoredJson.Options);
            var name = "pairs-" + Keys.Hash(json);
            var parts = json.Chunk(PairsPart).ToList();

            // Parts are written in order: when the last is there, all are.
            if (await _table.FindAsync<DeclaredPairsEntity>(r.IncidentId, $"{name}-{parts.Count - 1:D5}", ct) is null)
            {
                await _table.UpsertAllAsync(parts.Select((part, i) => new DeclaredPairsEntity
                {
                    PartitionKey = r.IncidentId,
                    RowKey = $"{name}-{i:D5}",
                    Json = new string(part),
                }), ct);
            }

            stored.Add(new StoredDeclaration(d with { Pairs = null }, name));
        }

        return stored;
    }

    private async Task<IReadOnlyList<ScopeDeclaration>> ReadDeclarationsAsync(IncidentEntity e, CancellationToken ct)
    {
        var declarations = new List<ScopeDeclaration>();
        foreach (var d in JsonSerializer.Deserialize<List<StoredDeclaration>>(e.DeclarationsJson, StoredJson.Options) ?? [])
        {
            if (d.Pairs is null)
            {
                declarations.Add(d.Declaration);
                continue;
            }

            var parts = await _table.ListAsync<DeclaredPairsEntity>(StorageKeys.PrefixFilter(e.PartitionKey, d.Pairs + "-"), ct);
            var json = string.Concat(parts.OrderBy(p => p.RowKey, StringComparer.Ordinal).Select(p => p.Json));
            declarations.Add(d.Declaration with { Pairs = JsonSerializer.Deserialize<List<DeclaredPair>>(json, StoredJson.Options) });
        }

        return declarations;
    }

    /// <summary>Characters per part: a string property holds 64 KiB of UTF-16.</summary>
    private const int PairsPart = 30_000;
}
