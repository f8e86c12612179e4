using MisSend.Core.Detection.Model;

namespace MisSend.Core.Detection.LeakRules;

/// <summary>The shared body, an attachment or the shared subject line, which every recipient gets, holds people's data.</summary>
public sealed class ForeignDataInContentRule : IRule
{
    public static readonly RuleDescriptor Descriptor = new(Detection.Rules.ForeignDataInContent,
        "A list of people in the body or an attachment", "本文・添付への名簿の混入",
        "The body or an attachment, which every recipient receives, contained other people's personal data (for example, a pasted list).",
        "全員に届く本文または添付ファイルに、他の方の個人データ（貼り付けられた名簿など）が含まれていました。");

    RuleDescriptor IRule.Descriptor => Descriptor;

    /// <summary>One finding per text and kind of content: a roster of 200 people is one finding that names 200 people.</summary>
    public IEnumerable<Finding> Check(ScanContext context)
    {
        if (!context.HasExposures)
        {
            yield break;
        }

        foreach (var text in context.SharedTextExposures)
        {
            var own = text.People is [{ Records: [var record, ..] }] ? record.Personalization : (int?)null;
            var whose = text.People.Count == 1 ? "" : $" ({text.People.Count} people)";
            yield return new Finding(Descriptor.Id, own, text.Categories.ToArray(), text.Recipients, text.Evidence + whose);
        }
    }
}
