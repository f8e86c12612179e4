namespace MisSend.Core.Detection;

/// <summary>Stable rule ids: stored in findings, JSON and reports. Never renamed. Each is described in <see cref="RuleCatalog"/>.</summary>
public static class Rules
{
    public const string VisibleRecipients = "visible-recipients";
    public const string SharedPersonalData = "shared-personal-data";
    public const string WrongOwner = "wrong-owner";
    public const string FanIn = "fan-in";
    public const string FanInAcrossChunks = "fan-in-across-chunks";
    public const string SpreadAcrossChunks = "spread-across-chunks";
    public const string ForeignDataInContent = "foreign-data-in-content";
    public const string ExposedSenderField = "exposed-sender-field";
    public const string OverSendGridLimits = "over-sendgrid-limits";
}

/// <summary>One reason to halt. <see cref="Detail"/> is masked: it never carries raw personal data.</summary>
/// <param name="Personalization">Zero-based index in the body, or null when the finding is about shared content.</param>
/// <param name="People">How many people would receive data that is not theirs.</param>
public sealed record Finding(string Rule, int? Personalization, IReadOnlyList<DataCategory> Categories, int People, string Detail);

/// <summary>
/// Who receives whose data: one row per (personalization, recipient, data subject). The pipeline writes these to the
/// exposure ledger; the verdict's findings come from the same rows.
/// </summary>
/// <param name="Recipient">Normalized address of the person who receives the mail.</param>
/// <param name="SubjectKey">Stable key of the data subject (whose data the mail carries).</param>
/// <param name="SubjectEmail">Where the data subject can be reached, when known.</param>
/// <param name="OwnerConfirmed">The recipient is the data subject by e-mail or name, not merely assumed.</param>
/// <param name="Misdirected">The recipient is not entitled to this data subject's data.</param>
/// <param name="SubjectName">The data subject's name as the batch gives it (for a salutation), or null when unknown.</param>
/// <param name="Relationship">
/// Why the recipient may see the data when they are not its subject: "guardian", "household", "ship-to", "billing",
/// "colleague"; null when the recipient is (or is taken to be) the subject, or is not entitled.
/// </param>
public sealed record Delivery(
    int Personalization,
    string Recipient,
    string SubjectKey,
    string? SubjectEmail,
    IReadOnlyList<DataCategory> Categories,
    bool OwnerConfirmed,
    bool Misdirected,
    string? SubjectName = null,
    string? Relationship = null);

/// <param name="SafeSubject">
/// The subject line recipients saw, on one line, with every identifying value replaced by "…": a delete request can name
/// the mail without repeating anyone's data. Null when the mail has no subject.
/// </param>
public sealed record Verdict(
    IReadOnlyList<Finding> Findings,
    int Personalizations,
    int Recipients,
    IReadOnlyList<Delivery> Deliveries,
    string? SafeSubject = null)
{
    public bool Halt => Findings.Count > 0;

    public string Decision => Halt ? "halt" : "pass";

    public IReadOnlyList<DataCategory> Categories =>
        Findings.SelectMany(f => f.Categories).Distinct().Order().ToArray();
}
