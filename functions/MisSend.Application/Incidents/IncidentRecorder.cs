using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Core;
using MisSend.Core.Incidents;

namespace MisSend.Application.Incidents;

/// <summary>Changes to an incident's row, made conditionally on the version read and retried until they land, and its record of events.</summary>
public sealed class IncidentRecorder(IIncidentStore incidents, TimeProvider time)
{
    /// <summary>
    /// Applies <paramref name="change"/> to the incident as stored, again on a fresh read whenever someone else wrote
    /// it first. Returns the stored incident and whether this call's change landed (false when <paramref name="change"/>
    /// returned null: nothing to do); a null incident when there is no such incident.
    /// </summary>
    public async Task<(IncidentRecord? Incident, bool Changed)> UpdateAsync(string incidentId, Func<IncidentRecord, IncidentRecord?> change, CancellationToken ct)
    {
        while (await incidents.GetAsync(incidentId, ct) is { } current)
        {
            if (change(current) is not { } changed)
            {
                return (current, false);
            }

            if (await incidents.TryReplaceAsync(changed, ct) is { } stored)
            {
                return (stored, true);
            }
        }

        return (null, false);
    }

    public Task RecordAsync(string incidentId, IncidentEventKind kind, OperatorAction who, string detail, int? chunk = null, int? count = null, CancellationToken ct = default) =>
        incidents.AppendEventAsync(new IncidentEvent(incidentId, time.GetUtcNow(), kind, who.Who, detail, chunk, count, who.Reason), ct);

    /// <summary>
    /// A near miss whose exposures turn out to have reached people (an unknown chunk was sent after all, a cancel came
    /// too late) becomes a leak; the change is recorded with who found it and why. Nothing else changes a kind by itself.
    /// </summary>
    public async Task<IncidentRecord> ReconcileKindAsync(IncidentRecord incident, Attribution attribution, OperatorAction who, CancellationToken ct)
    {
        if (incident.Kind != IncidentKind.NearMiss || attribution.Reached.Count == 0)
        {
            return incident;
        }

        var chunks = string.Join(", ", attribution.Reached.Select(e => e.Chunk).Distinct().Order());
        var reason = $"chunk {chunks} of the job turned out to have reached its recipients";
        var (stored, changed) = await UpdateAsync(incident.IncidentId, current => current.Kind == IncidentKind.NearMiss
            ? current.WithKind(IncidentKind.Leak, who, time.GetUtcNow(), reason) with { Status = IncidentStatus.Open }
            : null, ct);
        if (changed)
        {
            await RecordAsync(incident.IncidentId, IncidentEventKind.KindChanged, who, $"{StoredName.Of(IncidentKind.NearMiss)} → {StoredName.Of(IncidentKind.Leak)}: {reason}", ct: ct);
        }

        return stored ?? incident;
    }
}
