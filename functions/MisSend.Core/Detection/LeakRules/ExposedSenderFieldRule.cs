using MisSend.Core.Detection.Model;

namespace MisSend.Core.Detection.LeakRules;

/// <summary>A person's name or address in from.name, reply_to or a header: every recipient sees it.</summary>
public sealed class ExposedSenderFieldRule : IRule
{
    public static readonly RuleDescriptor Descriptor = new(Detection.Rules.ExposedSenderField,
        "A person's data in the sender, reply-to or headers", "差出人・返信先・ヘッダーへの個人データ",
        "The sender name, reply-to address or a header of the mail, which every recipient sees, held a customer's personal data.",
        "全員に表示される差出人名・返信先アドレス・ヘッダーに、お客様の個人データが入っていました。");

    RuleDescriptor IRule.Descriptor => Descriptor;

    public IEnumerable<Finding> Check(ScanContext context)
    {
        if (!context.HasExposures)
        {
            yield break;
        }

        foreach (var person in context.Reaches.Where(r => r.Cause == ExposureCause.SenderField).GroupBy(r => r.Person))
        {
            var exposed = person.ToList();
            yield return new Finding(Descriptor.Id, null, RuleHelpers.Categories(exposed), exposed.Select(r => r.Recipient.Email).Distinct().Count(),
                exposed[0].Evidence!);
        }
    }
}
