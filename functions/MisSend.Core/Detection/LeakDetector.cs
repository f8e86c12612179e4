using System.Text.RegularExpressions;
using MisSend.Core.Batches;
using MisSend.Core.Text;

namespace MisSend.Core.Detection;

/// <summary>
/// Decides pass or halt for one batch. Linear in the size of the body: values are indexed once and every text is
/// searched once for all of them; no personalization is compared with every other.
/// </summary>
public static partial class LeakDetector
{
    public static Verdict Scan(OutboundBatch batch) => new BatchScan(batch.Mail, batch.Policy).Run();

    public static Verdict Scan(MailBody mail, BatchPolicy? policy = null) => new BatchScan(mail, policy ?? BatchPolicy.Default).Run();

    private static readonly HashSet<DataCategory> IdentityCategories =
        [DataCategory.Email, DataCategory.Name, DataCategory.Address, DataCategory.Phone, DataCategory.MemberId];

    private sealed record Recipient(string Email, string? Name, bool Outside, bool Visible);

    private sealed record Field(string Key, string Raw, string Norm, DataCategory Category, bool Personal);

    private sealed class Needle(DataCategory category)
    {
        public DataCategory Category { get; } = category;
        public List<int> Owners { get; } = [];

        public void AddOwner(int index)
        {
            if (Owners.Count == 0 || Owners[^1] != index)
            {
                Owners.Add(index);
            }
        }
    }

    private sealed class PersonalizationView(Personalization p, Recipient[] recipients, Field[] fields)
    {
        public Personalization Source { get; } = p;
        public Recipient[] Recipients { get; } = recipients;
        public Field[] Fields { get; } = fields;
        public Field[] Personal { get; } = fields.Where(f => f.Personal).ToArray();
        public bool HasPersonalData => Personal.Length > 0;
        public IEnumerable<Recipient> Outside => Recipients.Where(r => r.Outside);
        public string? OwnerEmail { get; set; }
        public string SubjectKey { get; set; } = "";
        public Recipient? Owner { get; set; }
        public bool OwnerConfirmed { get; set; }
        public bool WrongOwner { get; set; }

        /// <summary>Computed once: Personal never changes after construction.</summary>
        public DataCategory[] Categories => _categories ??= Personal.Select(f => f.Category).Distinct().Order().ToArray();

        private DataCategory[]? _categories;
    }

    private sealed class BatchScan(MailBody mail, BatchPolicy policy)
    {
        private readonly List<Finding> _findings = [];
        private readonly HashSet<string> _internalDomains = InternalDomains(mail, policy);
        private PersonalizationView[] _views = [];
        private NeedleIndex<Needle> _needles = new([]);

        public Verdict Run()
        {
            _views = BuildViews();
            foreach (var v in _views)
            {
                ResolveOwner(v);
            }

            _needles = BuildNeedles();
            foreach (var v in _views)
            {
                CheckVisibleRecipients(v);
                CheckSharedPersonalData(v);
                CheckWrongOwner(v);
            }

            CheckFanIn();
            CheckSharedContent();

            var recipients = _views.SelectMany(v => v.Recipients).Select(r => r.Email).Distinct().Count();
            return new Verdict(_findings, _views.Length, recipients, BuildDeliveries());
        }

        /// <summary>What the batch says about one merge key, worked out once however many personalizations repeat it.</summary>
        private sealed class KeyFacts(string first, DataCategory? category, bool policyPersonal, bool ownerEmailKey)
        {
            public string First { get; } = first;
            public bool Constant { get; set; } = true;
            public int Seen { get; set; } = 1;
            public DataCategory? Category { get; } = category;
            public bool PolicyPersonal { get; } = policyPersonal;
            public bool OwnerEmailKey { get; } = ownerEmailKey;
        }

        private PersonalizationView[] BuildViews()
        {
            var ps = mail.Personalizations;
            var n = ps.Count;
            var personalKeys = policy.PersonalFields.ToHashSet(StringComparer.OrdinalIgnoreCase);

            // A key is template data when every personalization has it with the same normalized value.
            var keys = new Dictionary<string, KeyFacts>(StringComparer.Ordinal);
            var normalized = new string[ps.Count][];
            for (var i = 0; i < n; i++)
            {
                var data = ps[i].Data;
                normalized[i] = new string[data.Count];
                for (var j = 0; j < data.Count; j++)
                {
                    var key = data[j].Key;
                    var norm = normalized[i][j] = TextNormalizer.Normalize(data[j].Value);
                    if (!keys.TryGetValue(key, out var facts))
                    {
                        keys[key] = new KeyFacts(norm, FieldClassifier.KeyCategory(key),
                            personalKeys.Contains(key) || personalKeys.Contains(LastSegment(key)), FieldClassifier.IsOwnerEmailKey(key));
                        continue;
                    }

                    facts.Seen++;
                    facts.Constant = facts.Constant && facts.First == norm;
                }
            }

            var views = new PersonalizationView[n];
            for (var i = 0; i < n; i++)
            {
                var p = ps[i];
                var fields = new Field[p.Data.Count];
                for (var j = 0; j < fields.Length; j++)
                {
                    var (key, raw) = (p.Data[j].Key, p.Data[j].Value);
                    var norm = normalized[i][j];
                    var facts = keys[key];
                    var category = FieldClassifier.Classify(facts.Category, raw, norm);
                    var isConstant = n > 1 && facts.Constant && facts.Seen == n;
                    var personal = norm.Length > 0 && (facts.PolicyPersonal ||
                        (category == DataCategory.Email
                            ? !IsInternal(raw) && facts.OwnerEmailKey && !isConstant
                            : n > 1 ? !isConstant : IdentityCategories.Contains(category) || category == DataCategory.BirthDate));
                    fields[j] = new Field(key, raw, norm, category, personal);
                }

                var recipients = new List<Recipient>(p.To.Count + p.Cc.Count + p.Bcc.Count);
                foreach (var a in p.To.Concat(p.Cc))
                {
                    recipients.Add(new Recipient(TextNormalizer.NormalizeEmail(a.Email), a.Name, !IsInternal(a.Email), Visible: true));
                }

                foreach (var a in p.Bcc)
                {
                    recipients.Add(new Recipient(TextNormalizer.NormalizeEmail(a.Email), a.Name, !IsInternal(a.Email), Visible: false));
                }

                views[i] = new PersonalizationView(p, recipients.DistinctBy(r => r.Email).ToArray(), fields);
            }

            return views;
        }

        /// <summary>Whose data is this? The owner e-mail, the display name and the policy's subject key decide.</summary>
        private void ResolveOwner(PersonalizationView v)
        {
            var ownerEmailField = v.Personal.FirstOrDefault(f => f.Category == DataCategory.Email);
            v.OwnerEmail = ownerEmailField is null ? null : TextNormalizer.NormalizeEmail(ownerEmailField.Raw);

            var keyField = policy.SubjectKeyField is { } sk
                ? v.Fields.FirstOrDefault(f => string.Equals(f.Key, sk, StringComparison.OrdinalIgnoreCase) || string.Equals(LastSegment(f.Key), sk, StringComparison.OrdinalIgnoreCase))
                : null;
            var names = NameValues(v);
            v.SubjectKey = keyField is not null ? "k:" + keyField.Norm
                : v.OwnerEmail is not null ? "e:" + v.OwnerEmail
                : names.Length > 0 ? "n:" + string.Concat(names)
                : v.Personal.FirstOrDefault(f => f.Category == DataCategory.MemberId) is { } member ? "m:" + member.Norm
                : "e:" + v.Recipients[0].Email;

            if (v.OwnerEmail is not null)
            {
                v.Owner = v.Recipients.FirstOrDefault(r => r.Email == v.OwnerEmail);
                v.OwnerConfirmed = v.Owner is not null;
                return;
            }

            v.Owner = v.Recipients.FirstOrDefault(r => r.Outside) ?? v.Recipients[0];
            v.OwnerConfirmed = names.Length > 0 && NameMatches(v.Owner.Name, names) == true;
        }

        private void CheckVisibleRecipients(PersonalizationView v)
        {
            var visible = v.Recipients.Where(r => r.Visible && r.Outside).Select(r => r.Email).ToList();
            if (visible.Count > 1)
            {
                Add(Rules.VisibleRecipients, v.Source.Index, [DataCategory.Email], visible.Count,
                    $"{visible.Count} outside addresses in To/Cc see each other ({Mask.List(visible)})");
            }
        }

        private void CheckSharedPersonalData(PersonalizationView v)
        {
            var outside = v.Outside.Count();
            if (v.HasPersonalData && outside > 1)
            {
                Add(Rules.SharedPersonalData, v.Source.Index, v.Categories, outside - 1,
                    $"one personalization carries personal data ({CategoryList(v.Categories)}) to {outside} people (to, cc and bcc)");
            }
        }

        private void CheckWrongOwner(PersonalizationView v)
        {
            if (!v.HasPersonalData)
            {
                return;
            }

            var outside = v.Outside.ToList();
            if (v.OwnerEmail is not null && v.Owner is null && outside.Count > 0)
            {
                v.WrongOwner = true;
                Add(Rules.WrongOwner, v.Source.Index, v.Categories, outside.Count,
                    $"the data belongs to {Mask.Email(v.OwnerEmail)} but goes to {Mask.List(outside.Select(r => r.Email))}");
                return;
            }

            var names = NameValues(v);
            if (names.Length > 0 && v.Owner is { Name: not null } owner && NameMatches(owner.Name, names) == false)
            {
                v.WrongOwner = true;
                Add(Rules.WrongOwner, v.Source.Index, v.Categories, 1,
                    $"the data names {Mask.Value(names[0])} but the recipient is {Mask.Value(TextNormalizer.NormalizeName(owner.Name))} ({Mask.Email(owner.Email)})");
                return;
            }

            if (v.Source.Subject is { Length: > 0 } subject)
            {
                var foreign = ForeignNeedles(TextNormalizer.Normalize(subject), v);
                if (foreign.Count > 0)
                {
                    v.WrongOwner = true;
                    Add(Rules.WrongOwner, v.Source.Index, foreign.Select(f => f.Category).Distinct().Order().ToArray(), outside.Count,
                        $"the subject line names another person of this batch (personalization {foreign[0].Owners[0]})");
                }
            }
        }

        private void CheckFanIn()
        {
            var subjectsByRecipient = new Dictionary<string, (int First, string Subject, HashSet<string>? Others, int At)>();
            foreach (var v in _views.Where(v => v.HasPersonalData))
            {
                foreach (var r in v.Outside)
                {
                    if (!subjectsByRecipient.TryGetValue(r.Email, out var seen))
                    {
                        subjectsByRecipient[r.Email] = (v.Source.Index, v.SubjectKey, null, -1);
                    }
                    else if (seen.Subject != v.SubjectKey && (seen.Others is null || !seen.Others.Contains(v.SubjectKey)))
                    {
                        var others = seen.Others ?? [];
                        others.Add(v.SubjectKey);
                        subjectsByRecipient[r.Email] = (seen.First, seen.Subject, others, seen.At < 0 ? v.Source.Index : seen.At);
                    }
                }
            }

            foreach (var (email, seen) in subjectsByRecipient.Where(kv => kv.Value.Others is not null))
            {
                var people = seen.Others!.Count + 1;
                var categories = _views[seen.At].Categories;
                Add(Rules.FanIn, seen.At, categories, 1,
                    $"{Mask.Email(email)} would receive the data of {people} different people");
            }
        }

        private void CheckSharedContent()
        {
            var everyone = _views.SelectMany(v => v.Outside).Select(r => r.Email).ToHashSet();
            if (everyone.Count == 0)
            {
                return;
            }

            var texts = new List<(string Where, string Text)>();
            if (mail.Subject is { Length: > 0 } s)
            {
                texts.Add(("the shared subject line", s));
            }

            texts.AddRange(mail.Content.Select((c, i) => ($"content[{i}] ({c.Type})", c.Text)));
            texts.AddRange(mail.Attachments.Where(a => a.Text is not null).Select(a => ($"attachment {a.FileName ?? a.Type}", a.Text!)));

            foreach (var (where, text) in texts)
            {
                var reported = new HashSet<int>();
                _needles.FindAll(TextNormalizer.Normalize(text), (_, needle) =>
                {
                    if (!reported.Add(needle.Owners[0]))
                    {
                        return;
                    }

                    var owners = needle.Owners.SelectMany(o => _views[o].Outside).Select(r => r.Email).ToHashSet();
                    var exposed = everyone.Count(e => !owners.Contains(e));
                    if (exposed > 0)
                    {
                        Add(Rules.ForeignDataInContent, needle.Owners[0], [needle.Category], exposed,
                            $"{where} holds the {needle.Category.English()} of personalization {needle.Owners[0]} and goes to {exposed} other people");
                    }
                });

                var strangers = EmailInText().Matches(text.Normalize(System.Text.NormalizationForm.FormKC)).Select(m => TextNormalizer.NormalizeEmail(m.Value))
                    .Where(e => !IsInternal(e) && !everyone.Contains(e) && !IsRoleAddress(e)).Distinct().Count();
                var phones = PersonalPhoneCount(PhoneInText().Matches(TextNormalizer.Normalize(text)).Select(m => m.Value));
                if (strangers >= 2 || phones >= 3)
                {
                    var categories = strangers >= 2 ? (phones >= 3 ? [DataCategory.Email, DataCategory.Phone] : [DataCategory.Email]) : new[] { DataCategory.Phone };
                    Add(Rules.ForeignDataInContent, null, categories, everyone.Count,
                        $"{where} looks like a roster: {strangers} outside e-mail addresses and {phones} phone numbers go to every recipient");
                }
            }
        }

        /// <summary>
        /// A footer's help desk (support@, privacy@, info@ ...) is a role, not a person, and the policy's contact address
        /// belongs to the sender even when it is hosted by a contractor.
        /// </summary>
        private bool IsRoleAddress(string email)
        {
            var at = email.LastIndexOf('@');
            if (at <= 0)
            {
                return false;
            }

            if (_contactDomain is not null && email[(at + 1)..] == _contactDomain)
            {
                return true;
            }

            var local = email[..at];
            var first = local.Split('.', '-', '_', '+')[0];
            return RoleLocalParts.Contains(local) || RoleLocalParts.Contains(first);
        }

        private readonly string? _contactDomain = policy.ContactEmail is { } c && c.LastIndexOf('@') is var cat and > 0
            ? TextNormalizer.NormalizeEmail(c)[(cat + 1)..]
            : null;

        private NeedleIndex<Needle> BuildNeedles()
        {
            var needles = new Dictionary<string, Needle>(StringComparer.Ordinal);

            void AddNeedle(string norm, DataCategory category, int owner)
            {
                if (!IsIdentifying(norm))
                {
                    return;
                }

                if (!needles.TryGetValue(norm, out var needle))
                {
                    needles[norm] = needle = new Needle(category);
                }

                needle.AddOwner(owner);
            }

            foreach (var v in _views)
            {
                foreach (var f in v.Personal)
                {
                    if (IdentityCategories.Contains(f.Category) || (f.Category == DataCategory.Other && f.Norm.Length >= 8))
                    {
                        AddNeedle(f.Category == DataCategory.Name ? TextNormalizer.StripHonorific(f.Norm) : f.Norm, f.Category, v.Source.Index);
                    }
                }

                foreach (var r in v.Outside)
                {
                    AddNeedle(TextNormalizer.Normalize(r.Email), DataCategory.Email, v.Source.Index);
                    if (r.Name is { Length: > 0 } name)
                    {
                        AddNeedle(TextNormalizer.NormalizeName(name), DataCategory.Name, v.Source.Index);
                    }
                }
            }

            // A value many people share (a surname, a household, a venue) identifies nobody.
            var common = Math.Max(3, _views.Length / 50);
            return new NeedleIndex<Needle>(needles.Where(kv => kv.Value.Owners.Count < common).ToDictionary(StringComparer.Ordinal));
        }

        /// <summary>
        /// Needles of other people in a text of personalization <paramref name="self"/>. A match that lies inside one of
        /// self's own values does not count: "佐藤健" is another holder's name, but inside "佐藤健一様" it is part of the
        /// recipient's own name (Japanese writes names without word boundaries). Own values are taken from the
        /// personalization itself, not from the needle index, because a common own name is no needle.
        /// </summary>
        private List<Needle> ForeignNeedles(string normalizedText, PersonalizationView self)
        {
            var own = new bool[normalizedText.Length];
            foreach (var value in OwnValues(self))
            {
                for (var at = normalizedText.IndexOf(value, StringComparison.Ordinal); at >= 0; at = normalizedText.IndexOf(value, at + 1, StringComparison.Ordinal))
                {
                    own.AsSpan(at, value.Length).Fill(true);
                }
            }

            var found = new List<Needle>();
            _needles.FindAll(normalizedText, (at, key, needle) =>
            {
                if (!needle.Owners.Contains(self.Source.Index) && own.AsSpan(at, key.Length).Contains(false) && !found.Contains(needle))
                {
                    found.Add(needle);
                }
            });
            return found;
        }

        private static IEnumerable<string> OwnValues(PersonalizationView v) =>
            v.Personal.Select(f => f.Category == DataCategory.Name ? TextNormalizer.NormalizeName(f.Raw) : f.Norm)
                .Concat(v.Recipients.Where(r => r.Name is not null).Select(r => TextNormalizer.NormalizeName(r.Name!)))
                .Concat(v.Recipients.Select(r => TextNormalizer.Normalize(r.Email)))
                .Where(value => value.Length > 1);

        private List<Delivery> BuildDeliveries()
        {
            var emailByName = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var r in _views.SelectMany(v => v.Outside).Where(r => r.Name is not null))
            {
                emailByName.TryAdd(TextNormalizer.NormalizeName(r.Name!), r.Email);
            }

            var deliveries = new List<Delivery>();
            foreach (var v in _views.Where(v => v.HasPersonalData))
            {
                var owner = v.WrongOwner ? null : v.Owner;
                var subjectEmail = v.OwnerEmail ?? owner?.Email
                    ?? NameValues(v).Select(n => emailByName.GetValueOrDefault(TextNormalizer.NormalizeName(n))).FirstOrDefault(e => e is not null);
                var categories = v.Categories;
                foreach (var r in v.Outside)
                {
                    var isOwner = owner is not null && r.Email == owner.Email;
                    deliveries.Add(new Delivery(v.Source.Index, r.Email, v.SubjectKey, subjectEmail, categories,
                        OwnerConfirmed: isOwner && v.OwnerConfirmed, Misdirected: !isOwner));
                }
            }

            return deliveries;
        }

        private void Add(string rule, int? personalization, IReadOnlyList<DataCategory> categories, int people, string detail) =>
            _findings.Add(new Finding(rule, personalization, categories, people, detail));

        private bool IsInternal(string email)
        {
            var at = email.LastIndexOf('@');
            return at >= 0 && _internalDomains.Contains(email[(at + 1)..].Trim().ToLowerInvariant());
        }

        private static string[] NameValues(PersonalizationView v) =>
            v.Personal.Where(f => f.Category == DataCategory.Name && ScriptOf(f.Raw) != Script.Kana).Select(f => f.Raw).ToArray();
    }

    /// <summary>Does the display name agree with the data's name? Null when they cannot be compared (other scripts).</summary>
    internal static bool? NameMatches(string? displayName, IReadOnlyList<string> dataNames)
    {
        if (string.IsNullOrWhiteSpace(displayName) || dataNames.Count == 0)
        {
            return null;
        }

        var display = TextNormalizer.NormalizeName(displayName);
        var joined = TextNormalizer.NormalizeName(string.Concat(dataNames));
        if (display.Length == 0 || joined.Length == 0)
        {
            return null;
        }

        if (display.Contains(joined, StringComparison.Ordinal) || joined.Contains(display, StringComparison.Ordinal)
            || dataNames.Any(n => TextNormalizer.NormalizeName(n) is { Length: > 0 } part && display.Contains(part, StringComparison.Ordinal)))
        {
            return true;
        }

        var script = ScriptOf(displayName);
        if (script != ScriptOf(string.Concat(dataNames)) || script == Script.Kana)
        {
            return null;
        }

        if (script == Script.Latin)
        {
            // "Taro Yamada" and "YAMADA, Taro" are the same person.
            var a = LatinTokens(displayName);
            var b = LatinTokens(string.Join(' ', dataNames));
            return a.SetEquals(b) || a.IsSubsetOf(b) || b.IsSubsetOf(a);
        }

        return false;
    }

    private enum Script { Latin, Kana, Han }

    private static Script ScriptOf(string s)
    {
        var hasHan = false;
        var hasKana = false;
        foreach (var c in s)
        {
            if (c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or '々')
            {
                hasHan = true;
            }
            else if (c is >= '\u3040' and <= '\u30FF' or >= '\uFF66' and <= '\uFF9F')
            {
                hasKana = true;
            }
        }

        return hasHan ? Script.Han : hasKana ? Script.Kana : Script.Latin;
    }

    private static HashSet<string> LatinTokens(string s) =>
        TokenSplit().Split(s.ToLowerInvariant()).Where(t => t.Length > 0 && t is not "mr" and not "ms" and not "mrs" and not "dr").ToHashSet();

    private static bool IsIdentifying(string norm)
    {
        if (FieldClassifier.IsNonIdentifyingShape(norm))
        {
            return false;
        }

        return System.Text.Ascii.IsValid(norm) ? norm.Length >= 5 : norm.Length >= 3;
    }

    private static readonly HashSet<string> RoleLocalParts = new(StringComparer.Ordinal)
    {
        "info", "support", "help", "helpdesk", "contact", "privacy", "noreply", "no-reply", "donotreply", "ticket", "tickets",
        "office", "admin", "webmaster", "postmaster", "abuse", "sales", "service", "customer", "cs", "inquiry", "toiawase",
        "otoiawase", "fanclub", "news", "newsletter", "desk", "center", "centre", "jimukyoku", "uketsuke", "dpo", "security",
    };

    /// <summary>
    /// Phone numbers in shared text that could be individuals': toll-free and navi-dial numbers (0120, 0800, 0570, 0990)
    /// are always businesses, and numbers that differ only in the last two digits (TEL 048-123-4567 / FAX 048-123-4568)
    /// are one organisation's line block, so they count once.
    /// </summary>
    private static int PersonalPhoneCount(IEnumerable<string> phones) =>
        phones.Where(p => !(p.StartsWith("0120", StringComparison.Ordinal) || p.StartsWith("0800", StringComparison.Ordinal)
                            || p.StartsWith("0570", StringComparison.Ordinal) || p.StartsWith("0990", StringComparison.Ordinal)))
            .Select(p => p[..^2])
            .Distinct(StringComparer.Ordinal)
            .Count();

    private static string CategoryList(IEnumerable<DataCategory> categories) => string.Join(", ", categories.Select(c => c.English()));

    private static string LastSegment(string key)
    {
        var dot = key.LastIndexOf('.');
        return dot >= 0 ? key[(dot + 1)..] : key;
    }

    private static HashSet<string> InternalDomains(MailBody mail, BatchPolicy policy)
    {
        var set = policy.InternalDomains.Select(d => d.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var a in new[] { mail.From, mail.ReplyTo })
        {
            if (a?.Email is { } e && e.LastIndexOf('@') is var at and >= 0)
            {
                set.Add(e[(at + 1)..].Trim().ToLowerInvariant());
            }
        }

        return set;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailInText();

    [GeneratedRegex(@"(?<!\d)0\d{9,10}(?!\d)")]
    private static partial Regex PhoneInText();

    [GeneratedRegex(@"[\s,.]+")]
    private static partial Regex TokenSplit();
}
