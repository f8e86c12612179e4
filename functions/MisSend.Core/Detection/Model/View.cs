using MisSend.Core.Batches;

namespace MisSend.Core.Detection.Model;

/// <summary>What one personalization's recipients see, and whose data it is.</summary>
public sealed class View(Personalization source, Recipient[] recipients, MergeField[] fields, Record[] records, string? subject)
{
    public int Index => Source.Index;
    public Personalization Source { get; } = source;
    public Recipient[] Recipients { get; } = recipients;
    public MergeField[] Fields { get; } = fields;

    /// <summary>Records that describe natural people (organisations, staff, products and public figures left out).</summary>
    public Record[] Records { get; } = records;

    /// <summary>The subject line its recipients see: the personalization's own, or the mail's.</summary>
    public string? Subject { get; } = subject;

    /// <summary>The record the mail is about: its main (role-less) record, else a guardian's, a billing party's, a pupil's.</summary>
    public Record? Anchor { get; internal set; }

    /// <summary>
    /// The mail is to an organisation (its data names a company, 会社, Firma, société): colleagues at the addressee's
    /// domain act for it. Without that, two addresses at one domain are two people (an ISP's customers share a domain too).
    /// </summary>
    public bool ToOrganisation { get; internal set; }

    /// <summary>Outside parties in To/Cc (colleagues of one organisation, or one household, count once).</summary>
    public int VisibleParties { get; internal set; }

    /// <summary>Recipients who are not the sender's own staff: the people exposures are counted for.</summary>
    public Recipient[] Outside { get; } = Array.Exists(recipients, r => r.Staff) ? Array.FindAll(recipients, r => !r.Staff) : recipients;

    /// <summary>The first outside To recipient: the person the mail is addressed to.</summary>
    public Recipient? Addressee { get; } = Array.Find(recipients, r => !r.Staff && r.Field == AddressField.To);

    /// <summary>Categories of the fields that describe no one in particular (seat, amount, due date): they travel with the anchor.</summary>
    public CategorySet LooseCategories { get; internal set; } = new();
}

/// <summary>One recipient of one personalization sees one person's data: the unit of the exposure model.</summary>
public sealed class Reach(View view, Recipient recipient, Person person, PartyRole role)
{
    public View View { get; } = view;
    public Recipient Recipient { get; } = recipient;
    public Person Person { get; } = person;
    public PartyRole Role { get; } = role;
    private CategorySet _categories;

    public ref CategorySet Categories => ref _categories;
    public Entitlement Entitlement { get; internal set; } = Entitlement.AssumedSelf;
    public ExposureCause Cause { get; private set; }

    /// <summary>Masked words on why, for a finding's detail.</summary>
    public string? Evidence { get; private set; }

    public bool Exposed => Entitlement == Entitlement.NotEntitled;

    /// <summary>When the reach was made: the order of the batch's ledger rows within one personalization.</summary>
    internal long Sequence { get; init; }

    /// <summary>Marks the reach an exposure, keeping the first cause found.</summary>
    internal void Deny(ExposureCause cause, string evidence)
    {
        if (Entitlement == Entitlement.NotEntitled)
        {
            return;
        }

        Entitlement = Entitlement.NotEntitled;
        Cause = cause;
        Evidence = evidence;
    }
}
