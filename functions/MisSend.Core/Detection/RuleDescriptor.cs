using MisSend.Core.Detection.LeakRules;

namespace MisSend.Core.Detection;

/// <summary>
/// A detection rule as people read it, like a Roslyn <c>DiagnosticDescriptor</c>: the id is stable (stored in findings,
/// JSON and reports); the titles and the cause in plain words are what the report, the console and the CLI show.
/// </summary>
/// <param name="Id">Stable kebab-case id, e.g. <c>wrong-owner</c>. Never renamed: past findings keep it.</param>
/// <param name="TitleEn">A few words: "Another customer's data in the mail".</param>
/// <param name="TitleJa">同じ意味の日本語の見出し。</param>
/// <param name="CauseEn">One sentence a customer understands: what went wrong in the send.</param>
/// <param name="CauseJa">同じ内容を、お客様に分かる言葉で一文で。</param>
public sealed record RuleDescriptor(string Id, string TitleEn, string TitleJa, string CauseEn, string CauseJa)
{
    public string Title(string language) => language == "ja" ? TitleJa : TitleEn;

    public string Cause(string language) => language == "ja" ? CauseJa : CauseEn;
}

/// <summary>Every rule's descriptor, by id. Reports and the console render rule ids only through this.</summary>
public static class RuleCatalog
{
    public static readonly IReadOnlyList<RuleDescriptor> All =
        [.. LeakDetector.AllRules.Select(r => r.Descriptor), JobExposure.FanInAcrossChunks, JobExposure.SpreadAcrossChunks];

    private static readonly Dictionary<string, RuleDescriptor> ById = All.ToDictionary(d => d.Id, StringComparer.Ordinal);

    /// <summary>The descriptor of <paramref name="id"/>; an id from an older version that is no longer known still reads as words.</summary>
    public static RuleDescriptor Get(string id) => ById.TryGetValue(id, out var d)
        ? d
        : new RuleDescriptor(id, "Personal data would reach the wrong people", "個人データが本人以外に届くおそれ",
            "Personal data would have reached people it does not belong to.", "個人データが本人以外の方に届くおそれがありました。");
}
