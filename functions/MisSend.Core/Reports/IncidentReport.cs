using System.Text.Json.Serialization;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;

namespace MisSend.Core.Reports;

/// <summary>
/// Everything a report states, read from records: the renderer adds words, never facts. Counts and masked values
/// only. Null means "unknown", and the report says so.
/// </summary>
/// <param name="OpenedReason">The words the incident was opened with (the operator's, or "not mine" reports'), quoted as given.</param>
/// <param name="GeneratedAt">When the report is made: the 72-hour clock is judged at this time.</param>
/// <param name="OccurredAt">発生日: when the first mail carrying misdirected data went out; for a near miss, when the halted batch was inspected. Null when not known.</param>
/// <param name="AwareAt">発覚日: when the sender became aware (detection, or the incident's opening for a reported one).</param>
/// <param name="Scope">What reached whom. Null while a reported incident's scope is under investigation; a near miss has none.</param>
/// <param name="Prevented">What the halt kept from going out; null when nothing was halted.</param>
/// <param name="Unsettled">
/// Chunks of the job whose send cannot be known yet (SendGrid's answer was lost, a held send whose cancel is not
/// confirmed), and what they carried to the wrong people: whether that reached anyone is unknown, and the report says so.
/// Null when every chunk is settled.
/// </param>
/// <param name="RecipientReports">Recipients' "this mail is not for me" reports; null when there were none.</param>
/// <param name="Dismissal">An officer's dismissal of the recipients' reports, when the incident stands dismissed.</param>
public sealed record IncidentReport(
    string IncidentId,
    string JobId,
    IncidentKind Kind,
    IncidentSource Source,
    string? OpenedReason,
    DateTimeOffset GeneratedAt,
    DateTimeOffset? OccurredAt,
    DateTimeOffset AwareAt,
    ReporterDetails Reporter,
    IReadOnlyList<KindChange> KindHistory,
    IReadOnlyList<TimelineEvent> Timeline,
    ReportScope? Scope,
    PreventedExposure? Prevented,
    IReadOnlyList<ReportFinding> Findings,
    ChunkProgress Chunks,
    NoticeProgress Notices,
    OperatorRecords Records,
    UnsettledExposure? Unsettled = null,
    RecipientReportSummary? RecipientReports = null,
    ReportDismissal? Dismissal = null);

/// <summary>
/// Recipients who reported a mail of the job as not meant for them (one per personalization, however often they
/// clicked), and which parts they said were not theirs. Each is a suspected exposure until an officer declares the scope.
/// </summary>
/// <param name="Parts">How many reports named each part (a report may name several, or none).</param>
public sealed record RecipientReportSummary(int Reports, NotMinePartCounts Parts, DateTimeOffset FirstAt, DateTimeOffset LastAt);

/// <summary>How many reports named each <see cref="NotMinePart"/>.</summary>
public sealed record NotMinePartCounts(int Name, int Address, int Amount, int Other)
{
    public static NotMinePartCounts Of(IEnumerable<IReadOnlyCollection<NotMinePart>> reports)
    {
        var all = reports.SelectMany(parts => parts.Distinct()).ToList();
        int Count(NotMinePart part) => all.Count(p => p == part);
        return new NotMinePartCounts(Count(NotMinePart.Name), Count(NotMinePart.Address), Count(NotMinePart.Amount), Count(NotMinePart.Other));
    }
}

/// <summary>An officer found the recipients' reports unfounded: who, when and why (their words, as recorded).</summary>
public sealed record ReportDismissal(DateTimeOffset At, Actor By, string Reason);

public enum ScopeBasis
{
    /// <summary>The exposure ledger: the detector recorded who received whose data.</summary>
    [JsonStringEnumMemberName("ledger")]
    Ledger,

    /// <summary>Declared by an operator (all / shifted / list) and computed from the job's deliveries.</summary>
    [JsonStringEnumMemberName("declared")]
    Declared,
}

/// <summary>What reached people it does not belong to.</summary>
/// <param name="Exposures">(recipient, data subject) pairs.</param>
/// <param name="SubjectsWithoutAddress">Data subjects nobody can send an apology to.</param>
/// <param name="Declarations">The declarations in force (declared basis).</param>
public sealed record ReportScope(
    ScopeBasis Basis,
    int DataSubjects,
    int WrongRecipients,
    long Exposures,
    IReadOnlyList<DataCategory> Categories,
    int SubjectsWithoutAddress,
    IReadOnlyList<ScopeDeclarationSummary> Declarations);

/// <summary>Chunks whose send is not known yet, and the exposures that depend on them (counted from the ledger; zero when none is recorded).</summary>
/// <param name="Chunks">The chunk numbers, in order.</param>
public sealed record UnsettledExposure(IReadOnlyList<int> Chunks, int DataSubjects, int WrongRecipients, long Exposures);

/// <summary>What the halted chunks would have delivered to the wrong people, from their verdicts; null counts are not recorded.</summary>
public sealed record PreventedExposure(int? DataSubjects, int? WrongRecipients, IReadOnlyList<DataCategory> Categories);

/// <summary>One detector finding; the report words it through <see cref="RuleCatalog"/>.</summary>
public sealed record ReportFinding(int Chunk, string Rule, int? Personalization, int People, IReadOnlyList<DataCategory> Categories);

/// <param name="Total">Chunks of the job; null when the job never said.</param>
/// <param name="SentUnknown">Handed to SendGrid without a record of acceptance.</param>
public sealed record ChunkProgress(int? Total, int Sent, int SentUnknown, int Quarantined, int Cancelled, int Discarded);

/// <param name="Pending">Planned or queued, not sent yet.</param>
/// <param name="Unknown">Handed to SendGrid; whether it was accepted cannot be known.</param>
/// <param name="Failed">Refused for good (e.g. an invalid address).</param>
public sealed record NoticeCounts(int Sent, int Pending, int Unknown, int Failed)
{
    public static readonly NoticeCounts None = new(0, 0, 0, 0);

    public int Planned => Sent + Pending + Unknown + Failed;
}

/// <param name="ConfirmedDeletedUnread">Wrong recipients who confirmed deleting unread through their link.</param>
public sealed record NoticeProgress(NoticeCounts Apologies, NoticeCounts DeleteRequests, int ConfirmedDeletedUnread)
{
    public static readonly NoticeProgress None = new(NoticeCounts.None, NoticeCounts.None, 0);
}

public enum TimelineEventKind
{
    [JsonStringEnumMemberName("chunk-sent")]
    ChunkSent,

    [JsonStringEnumMemberName("detected")]
    Detected,

    /// <summary>The job was halted: <see cref="TimelineEvent.Count"/> chunks kept from going out.</summary>
    [JsonStringEnumMemberName("halted")]
    Halted,

    /// <summary>SendGrid's answer for <see cref="TimelineEvent.Chunk"/> was lost: whether it was sent is unknown.</summary>
    [JsonStringEnumMemberName("chunk-unknown")]
    ChunkUnknown,

    /// <summary>Email Activity showed that the unknown chunk was accepted (sent).</summary>
    [JsonStringEnumMemberName("chunk-confirmed-sent")]
    ChunkConfirmedSent,

    /// <summary>Email Activity showed that the unknown chunk was not accepted: it was not sent.</summary>
    [JsonStringEnumMemberName("chunk-confirmed-not-sent")]
    ChunkConfirmedNotSent,

    /// <summary>The chunk could not be sent (SendGrid refused it, or every attempt failed).</summary>
    [JsonStringEnumMemberName("chunk-not-sent")]
    ChunkNotSent,

    /// <summary>The job's scheduled chunks were cancelled before their send time.</summary>
    [JsonStringEnumMemberName("cancel-done")]
    CancelDone,

    /// <summary>The cancel of the scheduled chunks came too late: they went out.</summary>
    [JsonStringEnumMemberName("cancel-too-late")]
    CancelTooLate,

    /// <summary>An operator decided to release a chunk of the halted job.</summary>
    [JsonStringEnumMemberName("release-decided")]
    ReleaseDecided,

    [JsonStringEnumMemberName("chunk-released")]
    ChunkReleased,

    [JsonStringEnumMemberName("chunk-discarded")]
    ChunkDiscarded,

    [JsonStringEnumMemberName("incident-opened")]
    IncidentOpened,

    /// <summary>Recipients reported mails of the job as not meant for them: <see cref="TimelineEvent.Count"/> reports (one line per day).</summary>
    [JsonStringEnumMemberName("not-mine-reported")]
    NotMineReported,

    /// <summary>An officer dismissed the recipients' reports (the job's held chunks go through the send path again).</summary>
    [JsonStringEnumMemberName("report-dismissed")]
    ReportDismissed,

    [JsonStringEnumMemberName("kind-changed")]
    KindChanged,

    [JsonStringEnumMemberName("scope-declared")]
    ScopeDeclared,

    /// <summary>A wave of <see cref="TimelineEvent.Notice"/> notices: <see cref="TimelineEvent.Count"/> people.</summary>
    [JsonStringEnumMemberName("notice-wave")]
    NoticeWave,

    /// <summary>SendGrid refused a wave of <see cref="TimelineEvent.Notice"/> notices for good: <see cref="TimelineEvent.Count"/> people not notified.</summary>
    [JsonStringEnumMemberName("notice-wave-failed")]
    NoticeWaveFailed,

    /// <summary>SendGrid's answer to a wave was lost, and it cannot be known (yet) whether the notices went out.</summary>
    [JsonStringEnumMemberName("notice-wave-unknown")]
    NoticeWaveUnknown,

    [JsonStringEnumMemberName("deleted-unread-confirmed")]
    DeletedUnreadConfirmed,

    [JsonStringEnumMemberName("published")]
    Published,

    [JsonStringEnumMemberName("regulator-reported")]
    RegulatorReported,
}

/// <summary>One thing that happened, with who did it. The optional fields are those its kind uses.</summary>
public sealed record TimelineEvent(
    DateTimeOffset At,
    TimelineEventKind Kind,
    Actor Actor,
    int? Chunk = null,
    int? Count = null,
    NoticeKind? Notice = null,
    IncidentKind? KindTo = null,
    ScopeDeclarationKind? Declaration = null);

public enum Answer
{
    [JsonStringEnumMemberName("unknown")]
    Unknown,

    [JsonStringEnumMemberName("yes")]
    Yes,

    [JsonStringEnumMemberName("no")]
    No,
}

/// <summary>What only a person can know, as the operator recorded it. Unknown until recorded.</summary>
/// <param name="UnlawfulPurpose">不正の目的をもって行われたおそれ (規則7条3号), e.g. an insider or an attack.</param>
/// <param name="SecondaryHarm">Whether misuse (二次被害) has been observed.</param>
/// <param name="CauseNote">The operator's findings on the cause, beyond the detector's.</param>
/// <param name="Remarks">その他参考となる事項.</param>
public sealed record OperatorRecords(
    Answer UnlawfulPurpose = Answer.Unknown,
    Answer SecondaryHarm = Answer.Unknown,
    string? SecondaryHarmNote = null,
    string? CauseNote = null,
    DateTimeOffset? PublishedAt = null,
    DateTimeOffset? ReportedToRegulatorAt = null,
    string? Remarks = null)
{
    public static readonly OperatorRecords None = new();
}

/// <summary>The reporting organisation, for 規則8条 and GDPR Art. 33(3)(b). Bound from configuration section <see cref="SectionName"/>.</summary>
public sealed record ReporterDetails
{
    public const string SectionName = "Reporter";

    /// <summary>法人の名称.</summary>
    public string? LegalName { get; init; }

    /// <summary>住所.</summary>
    public string? Address { get; init; }

    /// <summary>代表者の氏名.</summary>
    public string? Representative { get; init; }

    /// <summary>The data protection officer (GDPR) or 個人情報保護管理者.</summary>
    public string? DataProtectionOfficer { get; init; }

    /// <summary>報告担当者: who answers the regulator's questions.</summary>
    public string? PersonInCharge { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }
}
