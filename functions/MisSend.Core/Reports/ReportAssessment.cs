using System.Text.Json.Serialization;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;

namespace MisSend.Core.Reports;

public enum ReportStatus
{
    /// <summary>A near miss: halted, nothing left.</summary>
    [JsonStringEnumMemberName("halted")]
    Halted,

    /// <summary>Halted, but whether an earlier chunk reached anyone cannot be known yet (SendGrid's answer was lost, a cancel is unconfirmed).</summary>
    [JsonStringEnumMemberName("awaiting-send-results")]
    AwaitingSendResults,

    [JsonStringEnumMemberName("under-investigation")]
    UnderInvestigation,

    /// <summary>Reported by recipients, and an officer dismissed the reports (see <see cref="IncidentReport.Dismissal"/>).</summary>
    [JsonStringEnumMemberName("dismissed")]
    Dismissed,

    [JsonStringEnumMemberName("notices-not-started")]
    NoticesNotStarted,

    [JsonStringEnumMemberName("notifying")]
    Notifying,

    [JsonStringEnumMemberName("notified")]
    Notified,

    /// <summary>Every notice was attempted, but some cannot be known to have arrived or were refused.</summary>
    [JsonStringEnumMemberName("notified-with-exceptions")]
    NotifiedWithExceptions,
}

/// <summary>Whether 規則7条 makes a report to the PPC mandatory.</summary>
public enum ReportRequirement
{
    [JsonStringEnumMemberName("mandatory")]
    Mandatory,

    [JsonStringEnumMemberName("not-mandatory")]
    NotMandatory,

    /// <summary>No trigger is known to apply, but at least one is unknown.</summary>
    [JsonStringEnumMemberName("undetermined")]
    Undetermined,

    /// <summary>Nothing leaked (a near miss).</summary>
    [JsonStringEnumMemberName("not-applicable")]
    NotApplicable,
}

/// <summary>GDPR: a breach "unlikely to result in a risk" need not be notified (Art. 33(1)); a high risk must be told to the people (Art. 34(1)).</summary>
public enum RiskLevel
{
    [JsonStringEnumMemberName("none")]
    None,

    [JsonStringEnumMemberName("risk")]
    Risk,

    [JsonStringEnumMemberName("high-risk")]
    HighRisk,

    [JsonStringEnumMemberName("unknown")]
    Unknown,
}

/// <summary>
/// 規則7条: the four triggers (1号 要配慮個人情報, 2号 財産的被害のおそれ, 3号 不正の目的によるおそれ, 4号 本人の数が1,000人超)
/// and the deadlines from the day of awareness: 速報 promptly (概ね3〜5日以内), 確報 within 30 days (60 for 3号).
/// </summary>
public sealed record PpcAssessment(
    Answer SensitiveData,
    Answer FinancialHarm,
    Answer UnlawfulPurpose,
    Answer MoreThanThousand,
    ReportRequirement Requirement,
    PpcDeadlines? Deadlines);

/// <param name="AwareDate">発覚日 (JST). The deadlines count from the day after it.</param>
public sealed record PpcDeadlines(DateOnly AwareDate, DateOnly PreliminaryFrom, DateOnly PreliminaryTo, DateOnly FinalDue, int FinalDays);

/// <summary>GDPR Art. 33: notify within 72 hours of becoming aware.</summary>
/// <param name="Deadline">Null when there is no breach (a near miss).</param>
/// <param name="Passed">Whether the deadline had passed when the report was made.</param>
public sealed record GdprAssessment(DateTimeOffset? Deadline, bool? Passed, double? HoursLeft, RiskLevel Risk);

public static class ReportAssessment
{
    public const int MandatoryAbovePeople = 1000;

    public static ReportStatus Status(IncidentReport r)
    {
        if (r.Kind == IncidentKind.NearMiss)
        {
            return r.Unsettled is null ? ReportStatus.Halted : ReportStatus.AwaitingSendResults;
        }

        if (r.Scope is null)
        {
            return r.Dismissal is null ? ReportStatus.UnderInvestigation : ReportStatus.Dismissed;
        }

        var (apologies, deletes) = (r.Notices.Apologies, r.Notices.DeleteRequests);
        return (apologies.Planned + deletes.Planned, apologies.Pending + deletes.Pending, apologies.Unknown + deletes.Unknown + apologies.Failed + deletes.Failed) switch
        {
            (0, _, _) => ReportStatus.NoticesNotStarted,
            (_, > 0, _) => ReportStatus.Notifying,
            (_, _, > 0) => ReportStatus.NotifiedWithExceptions,
            _ => ReportStatus.Notified,
        };
    }

    public static PpcAssessment Ppc(IncidentReport r)
    {
        if (r.Kind == IncidentKind.NearMiss && r.Unsettled is null)
        {
            return new PpcAssessment(Answer.No, Answer.No, Answer.No, Answer.No, ReportRequirement.NotApplicable, null);
        }

        var categories = r.Scope?.Categories;
        var sensitive = categories is null ? Answer.Unknown : YesIf(categories.Any(c => c.IsSensitive()));
        var financial = categories is null ? Answer.Unknown : YesIf(categories.Any(c => c.RisksFinancialHarm()));
        var many = r.Scope is null ? Answer.Unknown : YesIf(r.Scope.DataSubjects > MandatoryAbovePeople);
        Answer[] triggers = [sensitive, financial, r.Records.UnlawfulPurpose, many];
        var requirement = triggers.Contains(Answer.Yes) ? ReportRequirement.Mandatory
            : triggers.Contains(Answer.Unknown) ? ReportRequirement.Undetermined
            : ReportRequirement.NotMandatory;

        var aware = Notices.Liquid.JapanDate(r.AwareAt);
        var finalDays = r.Records.UnlawfulPurpose == Answer.Yes ? 60 : 30;
        return new PpcAssessment(sensitive, financial, r.Records.UnlawfulPurpose, many, requirement,
            new PpcDeadlines(aware, aware.AddDays(3), aware.AddDays(5), aware.AddDays(finalDays), finalDays));
    }

    public static GdprAssessment Gdpr(IncidentReport r)
    {
        if (r.Kind == IncidentKind.NearMiss && r.Unsettled is null)
        {
            return new GdprAssessment(null, null, null, RiskLevel.None);
        }

        var deadline = r.AwareAt.AddHours(72);
        var risk = r.Scope is null ? RiskLevel.Unknown
            : r.Scope.Categories.Any(c => c.IsSensitive() || c.RisksFinancialHarm()) ? RiskLevel.HighRisk
            : RiskLevel.Risk;
        var left = (deadline - r.GeneratedAt).TotalHours;
        return new GdprAssessment(deadline, left < 0, Math.Max(0, Math.Floor(left)), risk);
    }

    private static Answer YesIf(bool condition) => condition ? Answer.Yes : Answer.No;
}
