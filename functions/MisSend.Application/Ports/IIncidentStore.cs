using MisSend.Application.Model;

namespace MisSend.Application.Ports;

/// <summary>Incidents, their record of events, the findings that halted chunks, exposure candidates, and recipients' "not mine" reports.</summary>
public interface IIncidentStore
{
    Task<IncidentRecord?> GetAsync(string incidentId, CancellationToken ct);

    /// <summary>Insert-if-absent: the stored record, or null when the incident exists.</summary>
    Task<IncidentRecord?> TryAddAsync(IncidentRecord incident, CancellationToken ct);

    /// <summary>Conditional on the version read: null when someone else changed it first.</summary>
    Task<IncidentRecord?> TryReplaceAsync(IncidentRecord incident, CancellationToken ct);

    Task<IReadOnlyList<IncidentRecord>> ListOpenAsync(CancellationToken ct);

    Task AppendEventAsync(IncidentEvent incidentEvent, CancellationToken ct);

    /// <summary>The events in the order they happened.</summary>
    Task<IReadOnlyList<IncidentEvent>> EventsAsync(string incidentId, CancellationToken ct);

    /// <summary>Saves a chunk's findings (idempotent per chunk).</summary>
    Task SaveFindingsAsync(ChunkFindings findings, CancellationToken ct);

    Task<IReadOnlyList<ChunkFindings>> FindingsAsync(string incidentId, CancellationToken ct);

    /// <summary>Adds candidates (idempotent per incident, chunk, recipient and subject).</summary>
    Task AddExposureCandidatesAsync(IReadOnlyList<ExposureCandidate> candidates, CancellationToken ct);

    Task<IReadOnlyList<ExposureCandidate>> ExposureCandidatesAsync(string incidentId, CancellationToken ct);

    /// <summary>Insert-if-absent per (incident, chunk, personalization): the stored report, or null when that personalization reported already.</summary>
    Task<NotMineReport?> TryAddNotMineReportAsync(NotMineReport report, CancellationToken ct);

    /// <summary>Conditional on the version read: null when someone else changed it first.</summary>
    Task<NotMineReport?> TryReplaceNotMineReportAsync(NotMineReport report, CancellationToken ct);

    /// <summary>The incident's "not mine" reports, by chunk and personalization.</summary>
    Task<IReadOnlyList<NotMineReport>> NotMineReportsAsync(string incidentId, CancellationToken ct);
}
