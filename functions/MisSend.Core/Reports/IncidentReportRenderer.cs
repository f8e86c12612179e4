using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fluid;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;

namespace MisSend.Core.Reports;

/// <summary>
/// The incident report: Markdown in Japanese or English from the Liquid templates embedded in this assembly, and
/// language-neutral JSON (codes, numbers, dates). A leak report carries the nine items of 規則8条, the 規則7条
/// assessment and deadlines, and GDPR Art. 33(3)(a)–(d); a near miss gets a near-miss record instead.
/// </summary>
public static class IncidentReportRenderer
{
    private static readonly Dictionary<string, IFluidTemplate> Templates = new[] { "ja", "en" }
        .ToDictionary(language => language, language => Liquid.Load($"report.{language}.liquid"));

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <param name="language">"ja" or "en".</param>
    public static string ToMarkdown(IncidentReport report, string language) =>
        Liquid.Render(Templates.GetValueOrDefault(language) ?? Templates["ja"], View(report), language, out _);

    public static string ToJson(IncidentReport report) => JsonSerializer.Serialize(new
    {
        report,
        status = ReportAssessment.Status(report),
        causes = Causes(report),
        likelyConsequences = Consequences(report),
        appi = ReportAssessment.Ppc(report),
        gdpr = ReportAssessment.Gdpr(report),
    }, Json);

    /// <summary>A rule's findings together: the chunks it was found in and the most people one finding concerned.</summary>
    public sealed record Cause(string Rule, IReadOnlyList<int> Chunks, int People);

    private static IReadOnlyList<Cause> Causes(IncidentReport r) => r.Findings
        .GroupBy(f => f.Rule)
        .Select(g => new Cause(g.Key, g.Select(f => f.Chunk).Distinct().Order().ToArray(), g.Max(f => f.People)))
        .ToArray();

    /// <summary>The categories whose likely consequences the report states: what reached people, or would have.</summary>
    private static IReadOnlyList<DataCategory> Consequences(IncidentReport r) => r.Scope?.Categories ?? r.Prevented?.Categories ?? [];

    private static ReportView View(IncidentReport r) => new(
        r,
        NearMiss: r.Kind == IncidentKind.NearMiss,
        ReportAssessment.Status(r),
        ReportAssessment.Ppc(r),
        ReportAssessment.Gdpr(r),
        Causes(r),
        Consequences(r),
        r.Findings.Select(f => f.Chunk).Distinct().Order().ToArray(),
        r.Timeline.OrderBy(e => e.At).ToArray(),
        KindChanges: r.KindHistory.Skip(1).ToArray(),
        StillHolding: r.Scope is { } s ? s.WrongRecipients - r.Notices.ConfirmedDeletedUnread : null,
        SensitiveCategories: r.Scope?.Categories.Where(c => c.IsSensitive()).ToArray() ?? [],
        FinancialCategories: r.Scope?.Categories.Where(c => c.RisksFinancialHarm()).ToArray() ?? []);

    private sealed record ReportView(
        IncidentReport Report,
        bool NearMiss,
        ReportStatus Status,
        PpcAssessment Ppc,
        GdprAssessment Gdpr,
        IReadOnlyList<Cause> Causes,
        IReadOnlyList<DataCategory> Consequences,
        IReadOnlyList<int> FindingChunks,
        IReadOnlyList<TimelineEvent> Timeline,
        IReadOnlyList<KindChange> KindChanges,
        int? StillHolding,
        IReadOnlyList<DataCategory> SensitiveCategories,
        IReadOnlyList<DataCategory> FinancialCategories);
}
