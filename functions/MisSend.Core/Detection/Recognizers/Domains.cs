namespace MisSend.Core.Detection.Recognizers;

/// <summary>What an e-mail address's domain and local part say about who holds it.</summary>
public static class Domains
{
    /// <summary>
    /// Public mailbox and mobile-carrier domains: millions of unrelated people share them, so they are never "internal"
    /// and never "one organisation", even when the sender itself uses one.
    /// </summary>
    private static readonly HashSet<string> Public = new(StringComparer.Ordinal)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.jp", "ymail.com", "outlook.com", "outlook.jp", "hotmail.com", "hotmail.co.jp",
        "hotmail.fr", "hotmail.de", "hotmail.co.uk", "live.com", "live.jp", "live.fr", "msn.com", "icloud.com", "me.com", "mac.com",
        "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "gmx.at", "gmx.com", "web.de", "t-online.de", "freenet.de",
        "posteo.de", "mail.de", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "laposte.net", "bbox.fr", "neuf.fr", "btinternet.com",
        "sky.com", "virginmedia.com", "talktalk.net", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "comcast.net", "verizon.net", "att.net",
        "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp", "disney.ne.jp", "ymobile.ne.jp", "y-mobile.ne.jp",
        "rakuten.jp", "uqmobile.jp", "nifty.com", "biglobe.ne.jp", "so-net.ne.jp", "ocn.ne.jp", "excite.co.jp", "zoho.com", "mail.com",
        "qq.com", "163.com", "naver.com", "arcor.de", "vodafone.de", "online.de", "1und1.de", "aliceadsl.fr", "numericable.fr",
        "club-internet.fr", "ntlworld.com", "blueyonder.co.uk", "mail.ru", "yandex.ru", "seznam.cz", "libero.it", "tiscali.it",
    };

    /// <summary>Mailbox brands that serve the public under many country domains: outlook.de, yahoo.fr, gmx.ch, hotmail.es ...</summary>
    private static readonly HashSet<string> PublicBrands = new(StringComparer.Ordinal)
    {
        "gmail", "googlemail", "outlook", "hotmail", "live", "msn", "yahoo", "ymail", "icloud", "aol", "gmx", "web", "proton", "protonmail",
        "zoho", "yandex", "mail",
    };

    /// <summary>RFC 2606/6761 documentation domains themselves (not their subdomains): placeholders anyone uses, like a public mailbox.</summary>
    private static readonly string[] Documentation = ["example.com", "example.net", "example.org", "example.jp", "example.ne.jp", "example.co.jp", "example.de", "example.fr", "example.co.uk"];

    /// <summary>Local parts of role mailboxes: a help desk or a department, not a person.</summary>
    private static readonly HashSet<string> RoleLocalParts = new(StringComparer.Ordinal)
    {
        "info", "support", "help", "helpdesk", "contact", "privacy", "noreply", "no-reply", "donotreply", "do-not-reply", "ticket", "tickets",
        "office", "admin", "webmaster", "postmaster", "abuse", "sales", "service", "customer", "customers", "cs", "inquiry", "toiawase",
        "otoiawase", "fanclub", "news", "newsletter", "desk", "center", "centre", "jimukyoku", "uketsuke", "dpo", "security", "billing",
        "invoice", "invoices", "accounts", "accounting", "keiri", "soumu", "somu", "jinji", "hr", "kundenservice", "kontakt", "rechnung",
        "buchhaltung", "facturation", "comptabilite", "compta", "service-client", "serviceclient", "reception", "frontdesk", "booking",
        "reservations", "reservation", "yoyaku", "orders", "order", "shop", "store", "team", "hello", "mail", "general", "finance",
        "payroll", "school", "clinic", "bounce", "unsubscribe", "archive", "audit", "ops", "operations", "notifications", "alerts",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> RoleLocalPartsBySpan = RoleLocalParts.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly System.Buffers.SearchValues<char> LocalPartSeparators = System.Buffers.SearchValues.Create(".-_+");

    private static readonly System.Buffers.SearchValues<char> LowerCaseLocalChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789.-_+");

    public static string Of(string email)
    {
        var at = email.LastIndexOf('@');
        return at < 0 ? "" : email[(at + 1)..].Trim().TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>
    /// The domain of an address as a span of it, when <see cref="Of"/> would return exactly those characters (a normalized
    /// address: lower case, nothing to trim); false otherwise. Lets sets of domains be asked without a new string.
    /// </summary>
    internal static bool TryDomain(string email, out ReadOnlySpan<char> domain)
    {
        var at = email.LastIndexOf('@');
        domain = at < 0 ? default : email.AsSpan(at + 1);
        return at >= 0 && domain.IndexOfAnyExcept(LowerCaseHostChars) < 0 && (domain.IsEmpty || domain[^1] != '.');
    }

    /// <summary>True when <paramref name="domain"/> (from <see cref="TryDomain"/>) is in <paramref name="domains"/>.</summary>
    internal static bool In(HashSet<string> domains, ReadOnlySpan<char> domain) =>
        domains.Count > 0 && domains.GetAlternateLookup<ReadOnlySpan<char>>().Contains(domain);

    private static readonly System.Buffers.SearchValues<char> LowerCaseHostChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789.-_");

    public static string LocalPart(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "" : email[..at].Trim().ToLowerInvariant();
    }

    /// <summary>True for a public mailbox or carrier domain (or a subdomain of one, or a documentation domain).</summary>
    public static bool IsPublic(string domain)
    {
        if (domain.Length == 0)
        {
            return true;
        }

        var firstDot = domain.IndexOf('.');
        if (firstDot > 0 && domain.IndexOf('.', firstDot + 1) < 0 && PublicBrands.Contains(domain[..firstDot]))
        {
            return true;
        }

        for (var d = domain; ; )
        {
            if (Public.Contains(d) || (d == domain && Documentation.Contains(d)))
            {
                return true;
            }

            var dot = d.IndexOf('.');
            if (dot < 0 || d.IndexOf('.', dot + 1) < 0)
            {
                return false;
            }

            d = d[(dot + 1)..];
        }
    }

    /// <summary>info@, support@, keiri@, accounts@ ...: a mailbox many people of one organisation read, not one person's.</summary>
    public static bool IsRoleAddress(string email)
    {
        // A normalized address's local part is looked up in place; anything else is trimmed and lowered first.
        var at = email.LastIndexOf('@');
        if (at > 0 && email.AsSpan(0, at).IndexOfAnyExcept(LowerCaseLocalChars) < 0)
        {
            var span = email.AsSpan(0, at);
            var first = span.IndexOfAny(LocalPartSeparators);
            return RoleLocalPartsBySpan.Contains(span) || (first > 0 && RoleLocalPartsBySpan.Contains(span[..first]));
        }

        var local = LocalPart(email);
        if (local.Length == 0)
        {
            return false;
        }

        var cut = local.AsSpan().IndexOfAny(LocalPartSeparators);
        return RoleLocalParts.Contains(local) || (cut > 0 && RoleLocalPartsBySpan.Contains(local.AsSpan(0, cut)));
    }
}
