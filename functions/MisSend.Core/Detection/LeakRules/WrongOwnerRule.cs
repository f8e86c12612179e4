using MisSend.Core.Detection.Model;

namespace MisSend.Core.Detection.LeakRules;

/// <summary>
/// The mail's data names someone other than its recipient: rows shifted, a subject line, greeting, preheader or any merge
/// value naming another person of the batch.
/// </summary>
public sealed class WrongOwnerRule : IRule
{
    public static readonly RuleDescriptor Descriptor = new(Detection.Rules.WrongOwner,
        "Another person's data in the mail", "他の方の個人データの差し込み",
        "The personal data merged into a mail belonged to someone other than its recipient (for example, rows shifted in the address list).",
        "メールに差し込まれた個人データが、受信者ご本人ではなく別の方のものでした（宛先リストの行ずれなど）。");

    RuleDescriptor IRule.Descriptor => Descriptor;

    public IEnumerable<Finding> Check(ScanContext context)
    {
        if (!context.HasExposures)
        {
            yield break;
        }

        foreach (var view in context.Reaches.Where(r => r.Cause is ExposureCause.Mismatch or ExposureCause.Mentioned).GroupBy(r => r.View))
        {
            var exposed = view.ToList();
            yield return new Finding(Descriptor.Id, view.Key.Index, RuleHelpers.Categories(exposed),
                exposed.Select(r => r.Recipient.Email).Distinct().Count(), exposed[0].Evidence!);
        }
    }
}
