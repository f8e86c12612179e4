using MisSend.Core.Detection;

namespace MisSend.Core.Notices;

public enum NoticeKind
{
    /// <summary>To a data subject whose data reached other people.</summary>
    Apology,

    /// <summary>To a person who received data that is not theirs.</summary>
    DeleteRequest,
}

/// <summary>What every notice of one incident shares.</summary>
public sealed record IncidentFacts(
    string IncidentId,
    string Organization,
    string ContactEmail,
    DateTimeOffset FirstSentAt,
    IReadOnlyList<string> ActionsJa,
    IReadOnlyList<string> ActionsEn);

/// <summary>One person to notify, with the facts that concern them.</summary>
/// <param name="MailCount">Delete request: how many mails they got that were not theirs.</param>
/// <param name="RecipientCount">Apology: how many other people received their data.</param>
public sealed record NoticeTarget(
    NoticeKind Kind,
    string Email,
    string Language,
    IReadOnlyList<DataCategory> Categories,
    int RecipientCount,
    int MailCount,
    string? ConfirmUrl = null,
    DateTimeOffset? ConfirmExpiresAt = null);

public sealed record RenderedNotice(string Subject, string Text, string Html);
