namespace MisSend.Core.Detection.LeakRules;

/// <summary>More personalizations or recipients than SendGrid accepts in one request: scanned all the same, and halted.</summary>
public sealed class LimitsRule : IRule
{
    public static readonly RuleDescriptor Descriptor = new(Detection.Rules.OverSendGridLimits,
        "Over SendGrid's limits", "SendGridの上限超過",
        "The batch had more personalizations or recipients than one send allows, so it was not sent as built.",
        "1回の送信で扱える件数（宛先・差し込み単位）の上限を超えていたため、そのままでは送信できない状態でした。");

    RuleDescriptor IRule.Descriptor => Descriptor;

    public IEnumerable<Finding> Check(ScanContext context)
    {
        var personalizations = context.Mail.Personalizations.Count;
        var recipients = context.Mail.RecipientCount;
        if (personalizations > Thresholds.MaxPersonalizations || recipients > Thresholds.MaxRecipients)
        {
            yield return new Finding(Descriptor.Id, null, [], 0,
                $"{personalizations:N0} personalizations and {recipients:N0} recipients; SendGrid accepts at most {Thresholds.MaxPersonalizations:N0} and {Thresholds.MaxRecipients:N0} per request");
        }
    }
}
