using MisSend.Core.Detection;

namespace MisSend.Application.Model;

public enum IncidentSource
{
    /// <summary>The pre-send inspection halted a chunk.</summary>
    [StoredName("detector")] Detector,

    /// <summary>An operator opened it for a job already sent (customers phoned in).</summary>
    [StoredName("operator")] Operator,
}

public enum IncidentStatus
{
    /// <summary>Notices are due, or chunks of the job may still reach someone: the notice timer works on it.</summary>
    [StoredName("open")] Open,

    /// <summary>Nothing reached anyone and nothing can any more: a near miss.</summary>
    [StoredName("contained")] Contained,

    /// <summary>Everyone the exposures name was notified, once.</summary>
    [StoredName("notified")] Notified,

    /// <summary>Every notice was tried; some could not be confirmed as sent or were refused. An operator checks them.</summary>
    [StoredName("notified-with-unconfirmed")] NotifiedWithUnconfirmed,
}

/// <summary>Who did something: the detector, the timer, or an operator by name (the HTTP layer gives the principal).</summary>
public sealed record OperatorAction(string Who, string? Reason = null)
{
    public static readonly OperatorAction Detector = new("detector");
    public static readonly OperatorAction Timer = new("notice-timer");
}

/// <summary>An incident, one per job.</summary>
public sealed record IncidentRecord(string IncidentId, string JobId)
{
    public IncidentSource Source { get; init; }
    public IncidentStatus Status { get; init; } = IncidentStatus.Open;
    public string? Reason { get; init; }
    public string? Language { get; init; }

    /// <summary>The job's validated policy contactEmail, quoted in notices (reply-to).</summary>
    public string? ContactEmail { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public string? Version { get; init; }
}

public enum IncidentEventKind
{
    [StoredName("opened")] Opened,
    [StoredName("halted")] Halted,
    [StoredName("chunk-contained")] ChunkContained,
    [StoredName("release-decision")] ReleaseDecision,
    [StoredName("chunk-released")] ChunkReleased,
    [StoredName("release-failed")] ReleaseFailed,
    [StoredName("chunk-discarded")] ChunkDiscarded,
    [StoredName("chunk-resolved")] ChunkResolved,
    [StoredName("chunk-unknown")] ChunkUnknown,
    [StoredName("chunk-failed")] ChunkFailed,
    [StoredName("cancel-done")] CancelDone,
    [StoredName("cancel-failed")] CancelFailed,
    [StoredName("cancel-too-late")] CancelTooLate,
    [StoredName("status-changed")] StatusChanged,
    [StoredName("wave-unknown")] WaveUnknown,
    [StoredName("wave-failed")] WaveFailed,
}

/// <summary>One entry of the incident's record: what changed, when, and who did it. Details are masked.</summary>
public sealed record IncidentEvent(string IncidentId, DateTimeOffset At, IncidentEventKind Kind, string Who, string Detail, int? Chunk = null);

/// <summary>What the detector found in one chunk (masked details; categories stored by id).</summary>
public sealed record ChunkFindings(string IncidentId, int Chunk, IReadOnlyList<Finding> Findings, DateTimeOffset DetectedAt);

/// <summary>
/// A delivery judged to carry someone else's data, found when a chunk halted (fan-in across chunks). Whether it
/// reached anyone is decided by its chunk's state when the incident is read (<see cref="Incidents.ExposureAttribution"/>).
/// </summary>
public sealed record ExposureCandidate(
    string IncidentId,
    int Chunk,
    string Recipient,
    string SubjectKey,
    string? SubjectEmail,
    IReadOnlyList<DataCategory> Categories);
