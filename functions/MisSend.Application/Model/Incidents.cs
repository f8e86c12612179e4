using System.Text.Json.Serialization;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Reports;

namespace MisSend.Application.Model;

public enum IncidentStatus
{
    /// <summary>Notices are due, or chunks of the job may still reach someone: the notice timer works on it.</summary>
    [JsonStringEnumMemberName("open")] Open,

    /// <summary>Nothing reached anyone and nothing can any more: a near miss.</summary>
    [JsonStringEnumMemberName("contained")] Contained,

    /// <summary>Everyone the exposures name was notified, once.</summary>
    [JsonStringEnumMemberName("notified")] Notified,

    /// <summary>Every notice was tried; some could not be confirmed as sent or were refused. An operator checks them.</summary>
    [JsonStringEnumMemberName("notified-with-unconfirmed")] NotifiedWithUnconfirmed,

    /// <summary>Opened by recipients' "not mine" reports, which an officer dismissed (who and why are in its events). A new report reopens it.</summary>
    [JsonStringEnumMemberName("dismissed")] Dismissed,
}

/// <summary>Who did something: the detector, the timer, or an operator by name (the HTTP layer gives the principal).</summary>
public sealed record OperatorAction(string Who, string? Reason = null)
{
    public static readonly OperatorAction Detector = new("detector");
    public static readonly OperatorAction Timer = new("notice-timer");

    /// <summary>A recipient, through their "this mail is not for me" link: never named (the records hold no address for it).</summary>
    public static readonly OperatorAction Recipient = new("recipient");

    /// <summary>Who a report names for this action: the product itself, a recipient, or an operator.</summary>
    public Actor Actor => ActorOf(Who);

    /// <summary>The actor of a recorded "who": the detector and the timer are the product itself.</summary>
    public static Actor ActorOf(string who) =>
        who == Detector.Who || who == Timer.Who ? Actor.System
        : who == Recipient.Who ? Actor.Recipient
        : Actor.Operator(who);
}

/// <summary>An incident, one per job.</summary>
public sealed record IncidentRecord(string IncidentId, string JobId)
{
    public IncidentSource Source { get; init; }
    public IncidentStatus Status { get; init; } = IncidentStatus.Open;

    /// <summary>Why it was opened: the halting rules, or the operator's words.</summary>
    public string? Reason { get; init; }
    public string? Language { get; init; }

    /// <summary>The job's validated policy contactEmail, quoted in notices (reply-to).</summary>
    public string? ContactEmail { get; init; }
    public DateTimeOffset OpenedAt { get; init; }

    /// <summary>Every kind the incident has had, with who changed it, when and why. The first entry is the opening.</summary>
    public IReadOnlyList<KindChange> KindHistory { get; init; } = [];

    /// <summary>
    /// A reported incident's scope as declared by operators, in force (empty: under investigation). Replaced while
    /// <see cref="NoticesStarted"/> is false, only added to afterwards.
    /// </summary>
    public IReadOnlyList<ScopeDeclaration> Declarations { get; init; } = [];

    /// <summary>
    /// Set, conditionally on the version, before the first notice row of a declared scope is written: a re-declaration
    /// that reads it false may replace the scope, because nobody has been told anything.
    /// </summary>
    public bool NoticesStarted { get; init; }

    /// <summary>What only a person can know, as operators recorded it (for the report).</summary>
    public OperatorRecords Records { get; init; } = OperatorRecords.None;

    /// <summary>
    /// When a recipient's report was last attached (acted on). Every report writes the row, so a dismissal made from an
    /// older version of it is refused rather than dismissing a report it never saw.
    /// </summary>
    public DateTimeOffset? LastReportAt { get; init; }

    /// <summary>When the officer was last mailed about recipients' reports (attempted): alerts come at most once per <c>Alerts:Interval</c>.</summary>
    public DateTimeOffset? LastAlertAt { get; init; }
    public string? Version { get; init; }

    public IncidentKind Kind => KindHistory[^1].To;

    /// <summary>Opens with the kind its source and what already left decide (<see cref="Incident.Open"/>).</summary>
    public static IncidentRecord Open(string incidentId, string jobId, IncidentSource source, bool personalDataLeft, OperatorAction by, DateTimeOffset at, string reason) =>
        new(incidentId, jobId)
        {
            Source = source,
            Reason = reason,
            OpenedAt = at,
            KindHistory = Incident.Open(incidentId, jobId, source, personalDataLeft, by.Actor, at, reason).KindHistory,
        };

    /// <summary>The same incident with a new kind, recorded with who, when and why (<see cref="Incident.ChangeKind"/>).</summary>
    public IncidentRecord WithKind(IncidentKind to, OperatorAction by, DateTimeOffset at, string reason) =>
        this with { KindHistory = new Incident(IncidentId, JobId, Source, KindHistory).ChangeKind(to, by.Actor, at, reason).KindHistory };
}

public enum IncidentEventKind
{
    [JsonStringEnumMemberName("opened")] Opened,
    [JsonStringEnumMemberName("halted")] Halted,
    [JsonStringEnumMemberName("chunk-contained")] ChunkContained,
    [JsonStringEnumMemberName("release-decision")] ReleaseDecision,
    [JsonStringEnumMemberName("chunk-released")] ChunkReleased,
    [JsonStringEnumMemberName("release-failed")] ReleaseFailed,
    [JsonStringEnumMemberName("chunk-discarded")] ChunkDiscarded,

    /// <summary>Email Activity showed that SendGrid accepted a chunk whose answer was unknown.</summary>
    [JsonStringEnumMemberName("chunk-resolved")] ChunkResolved,

    /// <summary>Email Activity showed, long after the attempt, that SendGrid did not accept the chunk: it runs again.</summary>
    [JsonStringEnumMemberName("chunk-not-accepted")] ChunkNotAccepted,
    [JsonStringEnumMemberName("chunk-unknown")] ChunkUnknown,
    [JsonStringEnumMemberName("chunk-failed")] ChunkFailed,
    [JsonStringEnumMemberName("cancel-done")] CancelDone,
    [JsonStringEnumMemberName("cancel-failed")] CancelFailed,
    [JsonStringEnumMemberName("cancel-too-late")] CancelTooLate,
    [JsonStringEnumMemberName("status-changed")] StatusChanged,
    [JsonStringEnumMemberName("wave-unknown")] WaveUnknown,
    [JsonStringEnumMemberName("wave-failed")] WaveFailed,
    [JsonStringEnumMemberName("kind-changed")] KindChanged,
    [JsonStringEnumMemberName("scope-declared")] ScopeDeclared,
    [JsonStringEnumMemberName("records-updated")] RecordsUpdated,

    /// <summary>A recipient reported a mail of the job as not meant for them (which chunk; the parts they named).</summary>
    [JsonStringEnumMemberName("not-mine-reported")] NotMineReported,

    /// <summary>An officer dismissed the recipients' reports, with why: the job's held chunks go through the send path again.</summary>
    [JsonStringEnumMemberName("report-dismissed")] ReportDismissed,

    /// <summary>The officer was mailed about recipients' reports (masked facts and the console link only).</summary>
    [JsonStringEnumMemberName("officer-alerted")] OfficerAlerted,

    /// <summary>The officer's alert mail was not accepted: it is tried again later, and the console shows the reports meanwhile.</summary>
    [JsonStringEnumMemberName("officer-alert-failed")] OfficerAlertFailed,
}

/// <summary>One entry of the incident's record: what changed, when, and who did it. Details are masked.</summary>
/// <param name="Count">How many people or rows the entry is about (e.g. the notices of a failed wave), when it is about some.</param>
/// <param name="Detail">What the system did, in its own words (English, masked).</param>
/// <param name="Reason">The operator's own words for the action (why it was opened, released, discarded, dismissed), kept apart so a page can word the rest in its language.</param>
public sealed record IncidentEvent(string IncidentId, DateTimeOffset At, IncidentEventKind Kind, string Who, string Detail, int? Chunk = null, int? Count = null, string? Reason = null);

/// <summary>What the detector found in one chunk (masked details; categories stored by id).</summary>
/// <param name="PreventedSubjects">Data subjects whose data the halted chunk would have given to someone else; null when not known.</param>
/// <param name="PreventedRecipients">People the halted chunk would have given someone else's data; null when not known.</param>
public sealed record ChunkFindings(
    string IncidentId,
    int Chunk,
    IReadOnlyList<Finding> Findings,
    DateTimeOffset DetectedAt,
    int? PreventedSubjects = null,
    int? PreventedRecipients = null);

/// <summary>
/// A delivery judged to carry someone else's data, found when a chunk halted (across chunks). Whether it reached
/// anyone is decided by its chunk's state when the incident is read (<see cref="Incidents.ExposureAttribution"/>).
/// </summary>
public sealed record ExposureCandidate(
    string IncidentId,
    int Chunk,
    string Recipient,
    string SubjectKey,
    string? SubjectEmail,
    IReadOnlyList<DataCategory> Categories,
    string? SubjectName = null);
