using MisSend.Core.Detection.Model;
using MisSend.Core.Text;

namespace MisSend.Core.Detection.LeakRules;

/// <summary>One recipient gets several people's data: in several personalizations, or in one mail that lists several people.</summary>
public sealed class FanInRule : IRule
{
    public static readonly RuleDescriptor Descriptor = new(Detection.Rules.FanIn,
        "One recipient gets several people's data", "一人の受信者への複数人分のデータ",
        "One recipient would have received the personal data of several different people.",
        "一人の受信者に、複数の別の方の個人データが届く状態でした。");

    RuleDescriptor IRule.Descriptor => Descriptor;

    public IEnumerable<Finding> Check(ScanContext context)
    {
        if (!context.HasExposures)
        {
            yield break;
        }

        foreach (var recipient in context.Reaches.Where(RuleHelpers.FromMergeData).GroupBy(r => r.Recipient.Email))
        {
            var people = recipient.Select(r => r.Person).Distinct().Count();
            var exposed = recipient.Where(r => r.Exposed).ToList();
            if (people < 2 || exposed.Count == 0)
            {
                continue;
            }

            yield return new Finding(Descriptor.Id, exposed[0].View.Index, RuleHelpers.Categories(exposed), 1,
                $"{Mask.Email(recipient.Key)} would receive the data of {people} different people");
        }
    }
}
