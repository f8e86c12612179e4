using MisSend.Application.Model;
using MisSend.Application.Ports;

namespace MisSend.Application.Incidents;

/// <summary>An incident as its records show it now.</summary>
public sealed record IncidentSnapshot(IncidentRecord Incident, JobRecord? Job, IReadOnlyList<ChunkRecord> Chunks, Attribution Attribution);

public sealed class IncidentReader(IIncidentStore incidents, IJobStore jobs, TimeProvider time)
{
    public async Task<IncidentSnapshot?> ReadAsync(string incidentId, CancellationToken ct) =>
        await incidents.GetAsync(incidentId, ct) is { } incident ? await ReadAsync(incident, ct) : null;

    public async Task<IncidentSnapshot> ReadAsync(IncidentRecord incident, CancellationToken ct)
    {
        var job = await jobs.GetJobAsync(incident.JobId, ct);
        var chunks = await jobs.ListChunksAsync(incident.JobId, ct);
        var candidates = await incidents.ExposureCandidatesAsync(incident.IncidentId, ct);
        return new IncidentSnapshot(incident, job, chunks, ExposureAttribution.Attribute(job, chunks, candidates, time.GetUtcNow()));
    }
}
