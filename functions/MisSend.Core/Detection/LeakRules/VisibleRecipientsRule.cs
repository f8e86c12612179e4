using MisSend.Core.Text;

namespace MisSend.Core.Detection.LeakRules;

/// <summary>Several outside people (not colleagues of one organisation, not one household) in the To/Cc of one mail.</summary>
public sealed class VisibleRecipientsRule : IRule
{
    public static readonly RuleDescriptor Descriptor = new(Detection.Rules.VisibleRecipients,
        "Recipients see each other's addresses", "宛先の相互表示",
        "Several customers were put in the visible To/Cc of one mail, so each of them sees the others' e-mail addresses.",
        "複数のお客様のメールアドレスが同じメールの宛先（To/Cc）に入り、互いのアドレスが見える状態でした。");

    RuleDescriptor IRule.Descriptor => Descriptor;

    public IEnumerable<Finding> Check(ScanContext context)
    {
        foreach (var v in context.Views.Where(v => v.VisibleParties > 1))
        {
            var visible = v.Outside.Where(x => x.Visible).Select(x => x.Email).ToList();
            yield return new Finding(Descriptor.Id, v.Index, [DataCategory.Email], v.Outside.Count(),
                $"{v.VisibleParties} outside parties in To/Cc see each other's addresses ({Mask.List(visible)})");
        }
    }
}
