using System.Text.Json.Serialization;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;

namespace MisSend.Core.Notices;

public enum NoticeKind
{
    /// <summary>To a data subject whose data reached other people.</summary>
    [JsonStringEnumMemberName("apology")]
    Apology,

    /// <summary>To a person who received data that is not theirs.</summary>
    [JsonStringEnumMemberName("delete-request")]
    DeleteRequest,
}

/// <summary>Whether a step a notice mentions has happened, by the records. A notice says "done" only for <see cref="Done"/>.</summary>
public enum StepState
{
    [JsonStringEnumMemberName("done")]
    Done,

    /// <summary>Decided but not yet carried out: the notice says it is being arranged.</summary>
    [JsonStringEnumMemberName("planned")]
    Planned,

    /// <summary>Not part of this incident (e.g. the job had no unsent mail to stop): the notice does not mention it.</summary>
    [JsonStringEnumMemberName("not-applicable")]
    NotApplicable,
}

/// <summary>What every notice of one incident says alike, from the incident's records.</summary>
/// <param name="CauseRules">Rule ids of the findings; the notice says their causes in plain words (<see cref="RuleCatalog"/>).</param>
/// <param name="DeclaredAs">For a reported incident, how its scope was declared: the notice explains it in plain words when there are no findings.</param>
/// <param name="SendingHalted">The job's unsent mail was stopped (<see cref="StepState.NotApplicable"/> when everything had gone out).</param>
/// <param name="ContactEmail">The job policy's contact address, when it names one; otherwise the sender options'.</param>
public sealed record IncidentFacts(
    string IncidentId,
    IReadOnlyList<string> CauseRules,
    ScopeDeclarationKind? DeclaredAs,
    StepState SendingHalted,
    string? ContactEmail = null);

/// <summary>One person to notify. <paramref name="Name"/> is their name as the records hold it; null when unknown (then 「お客様」).</summary>
/// <param name="Language">"ja" or "en".</param>
public abstract record NoticeTarget(string Language, string? Name)
{
    public abstract NoticeKind Kind { get; }
}

/// <summary>The apology to a data subject.</summary>
/// <param name="RecipientCount">How many other people received their data.</param>
/// <param name="SentAt">When the first mail carrying their data to someone else went out.</param>
/// <param name="DeleteRequests">
/// <see cref="StepState.Done"/> only when every one of those people has been sent a delete request, or is in a wave
/// sent before this apology; otherwise <see cref="StepState.Planned"/>.
/// </param>
public sealed record ApologyTarget(
    string Language,
    string? Name,
    IReadOnlyList<DataCategory> Categories,
    int RecipientCount,
    DateTimeOffset SentAt,
    StepState DeleteRequests) : NoticeTarget(Language, Name)
{
    public override NoticeKind Kind => NoticeKind.Apology;
}

/// <summary>The delete request to a person who received other people's data.</summary>
/// <param name="MailSubject">The subject of (the first of) those mails with personal values masked, as the app records it; null when not recorded (the notice then names the mail by its date only).</param>
/// <param name="MailSentAt">When the first of those mails was sent.</param>
/// <param name="MailCount">How many other people's data they received (one mail each in a bulk send).</param>
/// <param name="ConfirmationToken">The <see cref="Notices.ConfirmationToken"/> for their "deleted unread" link.</param>
public sealed record DeleteRequestTarget(
    string Language,
    string? Name,
    string? MailSubject,
    DateTimeOffset MailSentAt,
    int MailCount,
    string ConfirmationToken,
    DateTimeOffset ConfirmationExpiresAt) : NoticeTarget(Language, Name)
{
    public override NoticeKind Kind => NoticeKind.DeleteRequest;
}

public sealed record RenderedNotice(string Subject, string Text, string Html);
