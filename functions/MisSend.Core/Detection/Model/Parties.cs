using MisSend.Core.Batches;
using MisSend.Core.Detection.Recognizers;

namespace MisSend.Core.Detection.Model;

public enum AddressField { To, Cc, Bcc }

/// <summary>One person a personalization reaches.</summary>
/// <param name="Staff">The sender's own people: declared internal domains, the from/reply-to mailbox, the sender's domain in copy.</param>
/// <param name="Organisation">The non-public domain the recipient shares with colleagues, or null for public mailboxes.</param>
public sealed class Recipient(string email, string? displayName, NameValue? name, AddressField field, bool staff, string? organisation)
{
    public string Email { get; } = email;
    public string? DisplayName { get; } = displayName;
    public NameValue? Name { get; } = name;
    public AddressField Field { get; } = field;
    public bool Staff { get; } = staff;
    public string? Organisation { get; } = organisation;
    public bool Visible => Field != AddressField.Bcc;

    /// <summary>The letters of the address's local part, for names it may spell (worked out once).</summary>
    internal string LocalPartLetters => _localPartLetters ??= NameValue.LocalPartAsciiLetters(Email);

    private string? _localPartLetters;
}

/// <summary>How a recipient may see a data subject's data.</summary>
public enum Entitlement
{
    /// <summary>The recipient is the subject, by e-mail address or name.</summary>
    Self,

    /// <summary>Nothing says otherwise: the mail's main recipient is taken to be its subject.</summary>
    AssumedSelf,

    /// <summary>A declared or inferred relationship: guardian of a pupil, buyer of a gift, billing contact.</summary>
    Related,

    /// <summary>A colleague of the subject at one customer organisation (a shared non-public domain).</summary>
    Colleague,

    /// <summary>The recipient has no right to the data: this is an exposure.</summary>
    NotEntitled,
}

/// <summary>Why a recipient is not entitled: which shape of leak the exposure has.</summary>
public enum ExposureCause
{
    None,

    /// <summary>The data names someone other than the recipient (e-mail or name differ).</summary>
    Mismatch,

    /// <summary>A subject line, greeting or merge value names another person of the batch.</summary>
    Mentioned,

    /// <summary>Cc or bcc of a personalization that carries someone else's data.</summary>
    ExtraRecipient,

    /// <summary>The same person's data in several personalizations to different recipients.</summary>
    Copied,

    /// <summary>One recipient receives several people's data.</summary>
    FanIn,

    /// <summary>One personalization lists several people (an order list, a second customer's order).</summary>
    Listed,

    /// <summary>Shared content, an attachment or the shared subject holds the data.</summary>
    SharedText,

    /// <summary>from.name, reply_to or a header holds the data.</summary>
    SenderField,

    /// <summary>Outside people in To/Cc see each other's addresses.</summary>
    VisibleAddress,
}

/// <summary>Who the sender is: whose addresses are staff, and which organisation sends.</summary>
public sealed class SenderFacts
{
    /// <param name="inBatch">Is an address one of the batch's people's? A reply_to that is one of them is a customer's, not the sender's.</param>
    public SenderFacts(MailBody mail, BatchPolicy policy, Func<string, bool> inBatch)
    {
        if (mail.From is not null)
        {
            OwnAddresses.Add(Text.TextNormalizer.NormalizeEmail(mail.From.Email));
        }

        foreach (var d in policy.InternalDomains)
        {
            InternalDomains.Add(d.ToLowerInvariant());
        }

        var fromDomain = mail.From is null ? "" : Domains.Of(mail.From.Email);
        foreach (var a in new[] { mail.ReplyTo }.Concat(mail.ReplyToList))
        {
            if (a is null || Text.TextNormalizer.NormalizeEmail(a.Email) is var email && inBatch(email))
            {
                continue;
            }

            if (IsOutsidePerson(a, email, fromDomain))
            {
                OutsideReplyTo.Add(a);
            }
            else
            {
                OwnAddresses.Add(email);
            }
        }

        if (fromDomain.Length > 0 && !Domains.IsPublic(fromDomain))
        {
            SenderDomains.Add(fromDomain);
        }

        if (policy.ContactEmail is { } contact && Domains.Of(contact) is { Length: > 0 } contactDomain && !Domains.IsPublic(contactDomain))
        {
            SenderDomains.Add(contactDomain);
        }
    }

    /// <summary>The from, reply_to and reply_to_list mailboxes: the sender's own, whatever their domain, unless an outside person's.</summary>
    public HashSet<string> OwnAddresses { get; } = new(StringComparer.Ordinal);

    /// <summary>Reply-to mailboxes of a private person outside the sender (an earlier customer's): every recipient sees them.</summary>
    public List<EmailAddress> OutsideReplyTo { get; } = [];

    /// <summary>
    /// A reply-to is the sender's own desk unless it is plainly one private person elsewhere: not a role mailbox, not on
    /// the from or a declared domain, and either on a public mailbox domain or shown under a person's name ("坂本 美咲 様").
    /// </summary>
    private bool IsOutsidePerson(EmailAddress a, string email, string fromDomain)
    {
        var domain = Domains.Of(email);
        if (Domains.IsRoleAddress(email) || domain == fromDomain || InternalDomains.Contains(domain))
        {
            return false;
        }

        return Domains.IsPublic(domain) || (a.Name is { Length: > 0 } name && NameValue.ParsePlausible(name) is not null);
    }

    /// <summary>Declared by the policy: every address there is staff.</summary>
    public HashSet<string> InternalDomains { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The from and contact domains when they are not public mailboxes. Not "internal": an address there in copy is the
    /// sender's staff, but as a main recipient it is a person like any other (employees receiving their own payslips).
    /// </summary>
    public HashSet<string> SenderDomains { get; } = new(StringComparer.Ordinal);

    /// <summary>An address the sender itself owns or runs: its mailboxes, declared domains, role mailboxes on its domain.</summary>
    public bool IsSenderAddress(string email)
    {
        if (OwnAddresses.Contains(email))
        {
            return true;
        }

        if (Domains.TryDomain(email, out var span))
        {
            return Domains.In(InternalDomains, span) || (Domains.In(SenderDomains, span) && Domains.IsRoleAddress(email));
        }

        var domain = Domains.Of(email);
        return OwnAddresses.Contains(email) || InternalDomains.Contains(domain) || (SenderDomains.Contains(domain) && Domains.IsRoleAddress(email));
    }

    public bool IsSenderDomain(string email) =>
        Domains.TryDomain(email, out var span) ? Domains.In(SenderDomains, span) || Domains.In(InternalDomains, span)
        : SenderDomains.Contains(Domains.Of(email)) || InternalDomains.Contains(Domains.Of(email));
}
