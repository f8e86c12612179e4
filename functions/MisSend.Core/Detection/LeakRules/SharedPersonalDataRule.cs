using MisSend.Core.Detection.Model;

namespace MisSend.Core.Detection.LeakRules;

/// <summary>
/// One person's data to several people: in the cc/bcc of their mail, or in several personalizations with the same data
/// (as <c>MailHelper.CreateSingleTemplateEmailToMultipleRecipients</c> builds it).
/// </summary>
public sealed class SharedPersonalDataRule : IRule
{
    public static readonly RuleDescriptor Descriptor = new(Detection.Rules.SharedPersonalData,
        "One person's data to many people", "一人分の個人データの複数人への送付",
        "A mail holding one customer's personal data was addressed to other people as well.",
        "お一人分の個人データを含むメールが、ご本人以外の方にも宛てられていました。");

    RuleDescriptor IRule.Descriptor => Descriptor;

    public IEnumerable<Finding> Check(ScanContext context)
    {
        if (!context.HasExposures)
        {
            yield break;
        }

        foreach (var person in context.Reaches.Where(RuleHelpers.FromMergeData).GroupBy(r => r.Person))
        {
            var recipients = person.Select(r => r.Recipient.Email).Distinct().Count();
            if (recipients < 2 || !person.Any(r => r.Exposed))
            {
                continue;
            }

            foreach (var view in person.Where(r => r.Exposed).GroupBy(r => r.View))
            {
                var exposed = view.ToList();
                yield return new Finding(Descriptor.Id, view.Key.Index, RuleHelpers.Categories(exposed), exposed.Count,
                    $"the data of {ScanContext.Describe(person.Key)} reaches {recipients} recipients; {exposed[0].Evidence}");
            }
        }
    }
}
