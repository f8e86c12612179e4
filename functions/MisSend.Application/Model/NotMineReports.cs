using MisSend.Core.Detection;
using MisSend.Core.Incidents;

namespace MisSend.Application.Model;

/// <summary>
/// A recipient's "this mail is not for me" report, one per personalization (the row's key): repeated clicks count once.
/// Kept in the job's incident partition (<see cref="Inputs.Keys.IncidentFor"/>), whether or not the incident exists yet.
/// </summary>
public sealed record NotMineReport(string IncidentId, string JobId, int Chunk, int Personalization)
{
    public DateTimeOffset ReportedAt { get; init; }

    /// <summary>What the recipient said was not theirs (optional).</summary>
    public IReadOnlyList<NotMinePart> Parts { get; init; } = [];

    /// <summary>
    /// What the ledger says this personalization delivered, copied when the report was acted on: a suspected exposure.
    /// It is never an exposure candidate, so it notifies nobody; the officer's declared scope decides.
    /// </summary>
    public IReadOnlyList<SuspectedDelivery> Suspected { get; init; } = [];

    /// <summary>When the report was acted on (job paused, incident opened or attached); null until then.</summary>
    public DateTimeOffset? ActedAt { get; init; }

    /// <summary>When an officer alert mail covering this report was accepted; null until then (or without an officer address).</summary>
    public DateTimeOffset? AlertedAt { get; init; }
    public string? Version { get; init; }
}

/// <summary>One ledger delivery of a reported personalization: <see cref="Recipient"/> may have received <see cref="SubjectKey"/>'s data.</summary>
public sealed record SuspectedDelivery(string Recipient, string SubjectKey, string? SubjectEmail, IReadOnlyList<DataCategory> Categories, bool OwnerConfirmed);
