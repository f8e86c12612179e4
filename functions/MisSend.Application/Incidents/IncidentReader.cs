using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Core.Incidents;

namespace MisSend.Application.Incidents;

/// <summary>An incident as its records show it now.</summary>
/// <param name="Scope">
/// What reached whom: the reached exposures of the ledger, or the declared scope of a reported incident; null while a
/// reported incident's scope is under investigation (nobody is notified until it is declared).
/// </param>
/// <param name="ScopeErrors">Why the declarations in force no longer apply to the job's deliveries (normally empty).</param>
public sealed record IncidentSnapshot(
    IncidentRecord Incident,
    JobRecord? Job,
    IReadOnlyList<ChunkRecord> Chunks,
    Attribution Attribution,
    IncidentScope? Scope,
    IReadOnlyList<ScopeError> ScopeErrors);

public sealed class IncidentReader(IIncidentStore incidents, IJobStore jobs, IExposureLedger ledger, TimeProvider time)
{
    public async Task<IncidentSnapshot?> ReadAsync(string incidentId, CancellationToken ct) =>
        await incidents.GetAsync(incidentId, ct) is { } incident ? await ReadAsync(incident, ct) : null;

    public async Task<IncidentSnapshot> ReadAsync(IncidentRecord incident, CancellationToken ct)
    {
        var job = await jobs.GetJobAsync(incident.JobId, ct);
        var chunks = await jobs.ListChunksAsync(incident.JobId, ct);
        var candidates = await incidents.ExposureCandidatesAsync(incident.IncidentId, ct);
        var attribution = ExposureAttribution.Attribute(job, chunks, candidates, time.GetUtcNow());
        if (incident.Declarations.Count == 0 && attribution.Reached.Count == 0)
        {
            return new IncidentSnapshot(incident, job, chunks, attribution, incident.Kind == IncidentKind.Reported ? null : Empty, []);
        }

        var deliveries = await ledger.DeliveriesAsync(incident.JobId, ct);
        if (incident.Declarations.Count == 0)
        {
            return new IncidentSnapshot(incident, job, chunks, attribution, IncidentScopes.FromExposures(attribution.Reached, deliveries, chunks, incident.OpenedAt), []);
        }

        var (scope, errors) = IncidentScopes.Declared(incident.Declarations, deliveries, chunks, job);
        return new IncidentSnapshot(incident, job, chunks, attribution, scope, errors);
    }

    private static readonly IncidentScope Empty = new(Core.Reports.ScopeBasis.Ledger, [], [], 0, [], new Dictionary<string, RecipientMail>());
}
