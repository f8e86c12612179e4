namespace MisSend.Core.Detection;

public static class Rules
{
    public const string VisibleRecipients = "visible-recipients";
    public const string SharedPersonalData = "shared-personal-data";
    public const string WrongOwner = "wrong-owner";
    public const string FanIn = "fan-in";
    public const string FanInAcrossChunks = "fan-in-across-chunks";
    public const string ForeignDataInContent = "foreign-data-in-content";
}

/// <summary>One reason to halt. <see cref="Detail"/> is masked: it never carries raw personal data.</summary>
/// <param name="Personalization">Zero-based index in the body, or null when the finding is about shared content.</param>
/// <param name="People">How many people would receive data that is not theirs.</param>
public sealed record Finding(string Rule, int? Personalization, IReadOnlyList<DataCategory> Categories, int People, string Detail);

/// <summary>Who receives whose data. The pipeline writes these to the exposure ledger.</summary>
/// <param name="Recipient">Normalized address of the person who receives the mail.</param>
/// <param name="SubjectKey">Stable key of the data subject (whose data the mail carries).</param>
/// <param name="SubjectEmail">Where the data subject can be reached, when known.</param>
/// <param name="OwnerConfirmed">The recipient is the data subject by e-mail or name, not merely assumed.</param>
/// <param name="Misdirected">The recipient is not the data subject.</param>
public sealed record Delivery(
    int Personalization,
    string Recipient,
    string SubjectKey,
    string? SubjectEmail,
    IReadOnlyList<DataCategory> Categories,
    bool OwnerConfirmed,
    bool Misdirected);

public sealed record Verdict(
    IReadOnlyList<Finding> Findings,
    int Personalizations,
    int Recipients,
    IReadOnlyList<Delivery> Deliveries)
{
    public bool Halt => Findings.Count > 0;

    public string Decision => Halt ? "halt" : "pass";

    public IReadOnlyList<DataCategory> Categories =>
        Findings.SelectMany(f => f.Categories).Distinct().Order().ToArray();
}
