using MisSend.Core.Batches;
using MisSend.Core.Detection.Model;
using MisSend.Core.Detection.LeakRules;

namespace MisSend.Core.Detection;

/// <summary>
/// Decides pass or halt for one batch by asking, for every person the mail reaches, whose personal data they would see
/// (<see cref="ScanContext"/>), then letting each rule name the shapes of leak it finds. Linear in the size of the body:
/// values are indexed once and every text is searched once for all of them.
/// </summary>
public static class LeakDetector
{
    /// <summary>Every rule, in the order their findings are listed. A new rule is one class added here.</summary>
    public static readonly IReadOnlyList<IRule> AllRules =
    [
        new VisibleRecipientsRule(),
        new SharedPersonalDataRule(),
        new WrongOwnerRule(),
        new FanInRule(),
        new ForeignDataInContentRule(),
        new ExposedSenderFieldRule(),
        new LimitsRule(),
    ];

    public static Verdict Scan(OutboundBatch batch) => Scan(batch.Mail, batch.Policy);

    public static Verdict Scan(MailBody mail, BatchPolicy? policy = null) => Judge(ScanContext.Build(mail, policy ?? BatchPolicy.Default));

    /// <summary>The verdict of a context already built (tests and <see cref="JobExposure"/> read the same model).</summary>
    public static Verdict Judge(ScanContext context) =>
        new(AllRules.SelectMany(r => r.Check(context)).ToList(), context.Views.Count, context.RecipientCount, Deliveries(context),
            SafeSubject.Of(context));

    /// <summary>
    /// The exposure model as ledger rows: one per (personalization, recipient, data subject), in batch order. When shared
    /// texts expose people (a roster to every recipient: rows × recipients), the rows are made when first read: such a
    /// batch halts, and the pipeline records the rows of the batches that pass.
    /// </summary>
    private static IReadOnlyList<Delivery> Deliveries(ScanContext context) =>
        context.TextExposures.Count == 0
            ? context.Reaches.Select(DeliveryOf).ToList()
            : new LazyList<Delivery>(() => context.ReachesWithCells().Select(DeliveryOf).ToList());

    private static Delivery DeliveryOf(Reach r) =>
        new(r.View.Index, r.Recipient.Email, r.Person.SubjectKey, r.Person.SubjectEmail, r.Categories.ToArray(),
            OwnerConfirmed: r.Entitlement == Entitlement.Self, Misdirected: r.Exposed, r.Person.SubjectName, Relationship(r));

    private static string? Relationship(Reach r) => r.Entitlement switch
    {
        Entitlement.Colleague => "colleague",
        Entitlement.Related => r.Role switch
        {
            PartyRole.Dependant => "guardian",
            PartyRole.Household => "household",
            PartyRole.ShipTo => "ship-to",
            PartyRole.Billing => "billing",
            _ => "household",
        },
        _ => null,
    };
}
