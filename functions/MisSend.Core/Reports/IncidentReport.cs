using MisSend.Core.Detection;

namespace MisSend.Core.Reports;

/// <summary>Everything the officer needs to answer for an incident. Contains counts and masked values only.</summary>
public sealed record IncidentReport(
    string IncidentId,
    string JobId,
    string Source,
    string Status,
    string? Reason,
    string Organization,
    string ContactEmail,
    IReadOnlyList<TimelineEvent> Timeline,
    ReportScope Scope,
    IReadOnlyList<ReportFinding> Cause,
    NoticeProgress Notices);

public static class TimelineEvents
{
    public const string FirstSend = "first-send";
    public const string Detection = "detection";
    public const string Halt = "halt";
    public const string Opened = "incident-opened";
    public const string NoticeWave = "notice-wave";
    public const string Confirmation = "deleted-unread-confirmed";
}

public sealed record TimelineEvent(DateTimeOffset At, string Event, string Detail);

/// <param name="DataSubjects">People whose data reached someone else.</param>
/// <param name="WrongRecipients">People who received data that is not theirs.</param>
/// <param name="ConfirmedDeletedUnread">Wrong recipients who confirmed deleting unread.</param>
/// <param name="UnreachableSubjects">Data subjects with no known address: they cannot be sent an apology.</param>
public sealed record ReportScope(
    int DataSubjects,
    int WrongRecipients,
    int Exposures,
    IReadOnlyList<DataCategory> Categories,
    int ConfirmedDeletedUnread,
    int UnreachableSubjects,
    int ChunksSent,
    int ChunksQuarantined)
{
    /// <summary>Under APPI a copy confirmed deleted unread does not count as leaked.</summary>
    public int RecipientsStillHolding => WrongRecipients - ConfirmedDeletedUnread;
}

public sealed record ReportFinding(int Chunk, string Rule, int? Personalization, int People, IReadOnlyList<DataCategory> Categories, string Detail);

public sealed record NoticeProgress(int ApologiesSent, int ApologiesPending, int DeleteRequestsSent, int DeleteRequestsPending, int Unconfirmed);
