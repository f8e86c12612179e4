using Azure;
using Azure.Data.Tables;
using MisSend.Azure.Configuration;
using Microsoft.Extensions.Options;

namespace MisSend.Azure.Storage;

public sealed class IncidentStore(StorageClients storage, IOptions<PipelineOptions> options)
{
    private readonly TableClient _table = storage.Tables.GetTableClient(options.Value.IncidentsTable);

    public Task<IncidentEntity?> GetAsync(string incidentId, CancellationToken ct) =>
        _table.FindAsync<IncidentEntity>(incidentId, IncidentEntity.Row, ct);

    /// <summary>Opens the incident unless it is open already; returns the stored one.</summary>
    public async Task<IncidentEntity> OpenAsync(IncidentEntity incident, CancellationToken ct)
    {
        incident.RowKey = IncidentEntity.Row;
        return await _table.TryAddAsync(incident, ct) ? incident : (await GetAsync(incident.PartitionKey, ct))!;
    }

    /// <summary>Conditional on the ETag read: false when another instance changed the incident first.</summary>
    public Task<bool> TryUpdateAsync(IncidentEntity incident, CancellationToken ct) => _table.TryReplaceAsync(incident, ct);

    public Task AddFindingsAsync(string incidentId, IncidentFindingsEntity findings, CancellationToken ct)
    {
        findings.PartitionKey = incidentId;
        findings.RowKey = $"findings-{findings.Chunk:D5}";
        return _table.UpsertEntityAsync(findings, TableUpdateMode.Replace, ct);
    }

    /// <summary>Adds exposures and reopens the incident, so the next notice tick tells the people they name.</summary>
    public async Task AddExposuresAsync(string incidentId, IReadOnlyCollection<ExposureEntity> exposures, CancellationToken ct)
    {
        if (exposures.Count == 0)
        {
            return;
        }

        await _table.UpsertAllAsync(exposures.Select(e =>
        {
            e.PartitionKey = incidentId;
            e.RowKey = $"exp-{StorageKeys.Hash(e.Recipient)}-{StorageKeys.Hash(e.SubjectKey)}";
            return e;
        }), ct);

        var incident = await GetAsync(incidentId, ct);
        if (incident is not null && incident.Status != "open")
        {
            incident.Status = "open";
            await _table.UpdateEntityAsync(incident, ETag.All, TableUpdateMode.Replace, ct);
        }
    }

    public Task<List<ExposureEntity>> ExposuresAsync(string incidentId, CancellationToken ct) =>
        _table.ListAsync<ExposureEntity>(TableExtensions.PrefixFilter(incidentId, "exp-"), ct);

    public Task<List<IncidentFindingsEntity>> FindingsAsync(string incidentId, CancellationToken ct) =>
        _table.ListAsync<IncidentFindingsEntity>(TableExtensions.PrefixFilter(incidentId, "findings-"), ct);

    public Task<List<IncidentEntity>> OpenIncidentsAsync(CancellationToken ct) =>
        _table.ListAsync<IncidentEntity>(TableClient.CreateQueryFilter($"RowKey eq {IncidentEntity.Row} and Status eq {"open"}"), ct);
}
