using MisSend.Core.Batches;
using MisSend.Core.Detection.Model;
using MisSend.Core.Detection.Recognizers;
using MisSend.Core.Text;

namespace MisSend.Core.Detection;

public sealed partial class ScanContext
{
    /// <summary>
    /// Builds the exposure model in passes, each linear in the batch: fields and records, people (records linked by what
    /// they share), who each recipient is, what each recipient may see, then the texts (merge values, shared content,
    /// sender fields) searched once for every person's values.
    /// </summary>
    private sealed partial class Builder(MailBody mail, BatchPolicy policy)
    {
        public MailBody Mail { get; } = mail;
        public BatchPolicy Policy { get; } = policy;
        public SenderFacts Sender { get; private set; } = null!;
        public List<View> Views { get; } = [];
        public List<Person> People { get; } = [];
        public List<Reach> Reaches { get; } = [];
        public List<SharedText> SharedTexts { get; } = [];

        /// <summary>People only a shared text names, with everyone who sees it: each exposure is new, so they need no lookup.</summary>
        public List<TextExposure> TextExposures { get; } = [];

        private readonly Dictionary<(int View, string Email, int Person), Reach> _reaches = new(mail.RecipientCount * 2);

        public IReadOnlyDictionary<(int View, string Email, int Person), Reach> ReachIndex => _reaches;
        public int[] CellOffsets => _cellOffsets;
        public IReadOnlyDictionary<Person, List<TextExposure.Entry>> TextsOf => _textsOf;

        /// <summary>The next <see cref="Reach.Sequence"/>: reaches are listed in the order they were made.</summary>
        private long _sequence;

        /// <summary>Outside recipients before each personalization (by index), and in all: where a text exposure's cells stand.</summary>
        private int[] _cellOffsets = [];
        private int _cells;
        private readonly Dictionary<string, Person> _byAddress = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<Person>> _confirmed = new(StringComparer.Ordinal);
        private readonly HashSet<string> _recipientAddresses = new(StringComparer.Ordinal);

        /// <summary>Distinct recipient addresses of the batch.</summary>
        public IReadOnlySet<string> RecipientAddresses => _recipientAddresses;

        /// <summary>Personalization subjects that more than one personalization has (template text, not written for one person).</summary>
        private readonly HashSet<string> _sharedSubjects = new(StringComparer.Ordinal);
        private NeedleIndex<Needle> _needles = new([]);

        public NeedleIndex<Needle> Needles => _needles;
        private string _region = "JP";

        public Builder Run()
        {
            var keys = DescribeKeys(out var normalized, out var dataEmails);
            var toAddresses = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in Mail.Personalizations)
            {
                foreach (var (list, isTo) in (ReadOnlySpan<(IReadOnlyList<EmailAddress>, bool)>)[(p.To, true), (p.Cc, false), (p.Bcc, false)])
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        var email = TextNormalizer.NormalizeEmail(list[i].Email);
                        _recipientAddresses.Add(email);
                        if (isTo)
                        {
                            toAddresses.Add(email);
                        }
                    }
                }
            }

            Sender = new SenderFacts(Mail, Policy, email => dataEmails.Contains(email) || _recipientAddresses.Contains(email));
            foreach (var subject in Mail.Personalizations.Where(p => p.Subject is not null).GroupBy(p => p.Subject!).Where(g => g.Count() > 1))
            {
                _sharedSubjects.Add(subject.Key);
            }

            _region = Region();
            BuildViews(keys, normalized, toAddresses);
            _cellOffsets = new int[Views.Count];
            foreach (var v in Views)
            {
                _cellOffsets[v.Index] = _cells;
                _cells += v.Outside.Length;
            }

            LinkPeople();
            BindRecipients();
            foreach (var v in Views)
            {
                Entitle(v);
            }

            _needles = BuildNeedles();
            foreach (var v in Views)
            {
                SearchOwnTexts(v);
            }

            SearchSharedTexts();
            SearchSenderFields();
            ResolveAcrossPersonalizations();
            CountVisibleParties();

            Reaches.AddRange(_reaches.Values);
            Reaches.Sort((a, b) => a.View.Index != b.View.Index ? a.View.Index.CompareTo(b.View.Index) : a.Sequence.CompareTo(b.Sequence));
            return this;
        }

        // ------------------------------------------------------------------ fields and records

        private sealed class KeyFacts(KeyInfo info, string first)
        {
            public KeyInfo Info { get; set; } = info;
            public string First { get; } = first;
            public bool Constant { get; set; } = true;
            public int Seen { get; set; } = 1;

            public bool ContactKey { get; } = FieldClassifier.IsContactKey(info.Key);

            /// <summary>A name key whose values name people: "guest.first_name", not "reservation.guests" (a head count).</summary>
            public bool NamesSomeone { get; set; }
        }

        private Dictionary<string, KeyFacts> DescribeKeys(out string[][] normalized, out HashSet<string> dataEmails)
        {
            var ps = Mail.Personalizations;
            var keys = new Dictionary<string, KeyFacts>(StringComparer.Ordinal);
            normalized = new string[ps.Count][];
            dataEmails = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < ps.Count; i++)
            {
                var data = ps[i].Data;
                normalized[i] = new string[data.Count];
                for (var j = 0; j < data.Count; j++)
                {
                    var (key, raw) = (data[j].Key, data[j].Value);
                    var norm = normalized[i][j] = TextNormalizer.Normalize(raw);
                    if (norm.Contains('@') && FieldClassifier.LooksLikeEmail(raw))
                    {
                        dataEmails.Add(TextNormalizer.NormalizeEmail(raw));
                    }

                    if (!keys.TryGetValue(key, out var facts))
                    {
                        keys[key] = facts = new KeyFacts(FieldClassifier.Describe(key, Policy), norm);
                        facts.NamesSomeone = facts.Info.Category == DataCategory.Name && NameOf(raw) is not null;
                        continue;
                    }

                    facts.NamesSomeone = facts.NamesSomeone || (facts.Info.Category == DataCategory.Name && NameOf(raw) is not null);
                    facts.Seen++;
                    facts.Constant = facts.Constant && facts.First == norm;
                }
            }

            SeparateNamedObjects(keys.Values);
            return keys;
        }

        /// <summary>
        /// A nested object without a role joins the mail's own record, unless two levels name someone: "Vorname" at the top
        /// and "Lastschrift.Kontoinhaber" below, or "Kunde.Nachname" beside "Autohaus.Name", are two parties that may be two people.
        /// </summary>
        private static void SeparateNamedObjects(ICollection<KeyFacts> keys)
        {
            static string Prefix(string key) => key.LastIndexOf('.') is var dot and > 0 ? key[..dot] : "";
            var named = new HashSet<string>(StringComparer.Ordinal);
            foreach (var k in keys)
            {
                if (k.NamesSomeone && k.Info.Role is null && !k.Info.Listed)
                {
                    named.Add(Prefix(k.Info.Key));
                }
            }

            if (named.Count < 2)
            {
                return;
            }

            foreach (var k in keys)
            {
                if (k.Info.Role is null && !k.Info.Listed && Prefix(k.Info.Key) is { Length: > 0 } prefix && named.Contains(prefix))
                {
                    k.Info = k.Info with { RecordPath = prefix };
                }
            }
        }

        /// <summary>
        /// Nested parties whose every field is the same in all <paramref name="n"/> personalizations and that hold nothing
        /// only a customer has (a card, an account, a birth date, a diagnosis): a signature, a service desk, the dealership.
        /// </summary>
        private static HashSet<string> SenderSideObjects(ICollection<KeyFacts> keys, int n)
        {
            var objects = new HashSet<string>(StringComparer.Ordinal);
            if (n < 2)
            {
                return objects;
            }

            var varying = new HashSet<string>(StringComparer.Ordinal);
            foreach (var k in keys)
            {
                if (k.Info.Role is null && k.Info.RecordPath.Length > 0)
                {
                    objects.Add(k.Info.RecordPath);
                    if (!k.Constant || k.Seen != n || k.Info.Category is DataCategory.CardNumber or DataCategory.BankAccount or DataCategory.BirthDate or DataCategory.Health)
                    {
                        varying.Add(k.Info.RecordPath);
                    }
                }
            }

            objects.ExceptWith(varying);
            return objects;
        }

        private void BuildViews(Dictionary<string, KeyFacts> keys, string[][] normalized, HashSet<string> toAddresses)
        {
            var n = Mail.Personalizations.Count;
            var constantPhones = new Dictionary<string, bool>(StringComparer.Ordinal);
            var records = new List<Record>(4);
            var infos = new List<KeyInfo>(16);
            var names = (Func<string, NameValue?>)NameOf;
            var senderSide = SenderSideObjects(keys.Values, n);
            foreach (var p in Mail.Personalizations)
            {
                var fields = new MergeField[p.Data.Count];
                infos.Clear();
                for (var j = 0; j < fields.Length; j++)
                {
                    var (key, raw) = (p.Data[j].Key, p.Data[j].Value);
                    var norm = normalized[p.Index][j];
                    var facts = keys[key];
                    var category = FieldClassifier.Classify(facts.Info.Category, raw, norm, names);
                    var constant = n > 1 && facts.Constant && facts.Seen == n;
                    var name = category == DataCategory.Name ? NameOf(raw) : null;
                    if (name is { Tokens.Count: 1 } && facts.Info.Surname)
                    {
                        name = name with { SurnameOnly = true };
                    }
                    fields[j] = new MergeField(facts.Info, raw, norm, category, constant,
                        category == DataCategory.Name ? name?.Key ?? (facts.Info.PolicyPersonal ? norm : null) : Identity(facts.Info, category, raw, norm, constant, constantPhones), name);
                    var info = facts.Info;

                    // A contact, or a party of its own (a signature, the dealership), that is the same in every personalization
                    // is the sender's, not the recipient's, unless it is one of the recipients (one client's invoice copied to
                    // every client).
                    if (constant && category == DataCategory.Name && info.Role is null && (facts.ContactKey || senderSide.Contains(info.RecordPath))
                        && !IsRecipientName(raw))
                    {
                        info = info with { Role = PartyRole.Staff, RecordPath = "@" + PartyRole.Staff };
                    }

                    infos.Add(info);
                }

                records.Clear();
                for (var j = 0; j < fields.Length; j++)
                {
                    RecordAt(records, p.Index, infos, fields, j).Add(fields[j], Sender);
                }

                var persons = records.Where(r => r.IsPerson).ToArray();
                if (ChooseAnchor(persons) is { } anchor)
                {
                    anchor.IsAnchor = true;
                }

                Views.Add(new View(p, Recipients(p, toAddresses), fields, persons, p.Subject ?? Mail.Subject)
                {
                    Anchor = persons.FirstOrDefault(r => r.IsAnchor),
                    ToOrganisation = records.Exists(r => r.Role is PartyRole.Organisation or PartyRole.Billing),
                    LooseCategories = LooseCategoriesOf(records),
                });
            }
        }

        /// <summary>The record of field <paramref name="at"/> among a personalization's records (a few: looked up in place), sized to its identifying fields.</summary>
        private static Record RecordAt(List<Record> records, int personalization, List<KeyInfo> infos, MergeField[] fields, int at)
        {
            var info = infos[at];
            foreach (var r in records)
            {
                if (r.Path == info.RecordPath)
                {
                    return r;
                }
            }

            var size = 0;
            for (var j = 0; j < fields.Length; j++)
            {
                size += fields[j].Identity is not null && infos[j].RecordPath == info.RecordPath ? 1 : 0;
            }

            var record = new Record(personalization, info.RecordPath, info.Role ?? PartyRole.Self, info.Listed && info.Role is null, size);
            records.Add(record);
            return record;
        }

        /// <summary>The distinct recipients of a personalization: to, then cc, then bcc.</summary>
        private Recipient[] Recipients(Personalization p, HashSet<string> toAddresses)
        {
            var recipients = new Recipient[p.To.Count + p.Cc.Count + p.Bcc.Count];
            var count = 0;
            // A handful of addresses are compared in place; a long bcc list needs a set.
            var seen = recipients.Length > 8 ? new HashSet<string>(StringComparer.Ordinal) : null;
            foreach (var (list, field) in (ReadOnlySpan<(IReadOnlyList<EmailAddress>, AddressField)>)[(p.To, AddressField.To), (p.Cc, AddressField.Cc), (p.Bcc, AddressField.Bcc)])
            {
                for (var i = 0; i < list.Count; i++)
                {
                    var email = TextNormalizer.NormalizeEmail(list[i].Email);
                    if (seen?.Add(email) ?? !Listed(recipients.AsSpan(0, count), email))
                    {
                        recipients[count++] = MakeRecipient(email, list[i].Name, field, toAddresses);
                    }
                }
            }

            return count == recipients.Length ? recipients : recipients[..count];

            static bool Listed(ReadOnlySpan<Recipient> recipients, string email)
            {
                foreach (var r in recipients)
                {
                    if (r.Email == email)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>Does <paramref name="raw"/> name one of the batch's recipients, by display name or by an address that spells it?</summary>
        private bool IsRecipientName(string raw)
        {
            if (_recipientNames is null)
            {
                _recipientNames = new HashSet<string>(StringComparer.Ordinal);
                foreach (var a in Mail.Personalizations.SelectMany(p => p.AllRecipients))
                {
                    _recipientNames.Add(NameValue.LocalPartLetters(a.Email));
                    if (a.Name is { Length: > 0 } display && NameValue.Parse(display) is { } name)
                    {
                        _recipientNames.UnionWith(name.Needles());
                    }
                }
            }

            return NameValue.Parse(raw) is { } value && (value.Needles().Any(_recipientNames.Contains) || value.LocalPartForms().Any(_recipientNames.Contains));
        }

        private HashSet<string>? _recipientNames;

        /// <summary>A value as a plausible person's name, parsed once per distinct value (names repeat across the batch).</summary>
        private NameValue? NameOf(string raw)
        {
            if (!_names.TryGetValue(raw, out var name))
            {
                _names[raw] = name = NameValue.ParsePlausible(raw);
            }

            return name;
        }

        private readonly Dictionary<string, NameValue?> _names = new(StringComparer.Ordinal);

        /// <summary>Domain → the organisation it stands for (itself), or null for a public mailbox: worked out once per domain.</summary>
        private readonly Dictionary<string, string?> _organisations = new(StringComparer.Ordinal);

        private Recipient MakeRecipient(string email, string? displayName, AddressField field, HashSet<string> toAddresses)
        {
            var senderDomain = Sender.IsSenderDomain(email);
            var staff = Sender.OwnAddresses.Contains(email) || (senderDomain && (Domains.IsRoleAddress(email) || !toAddresses.Contains(email)));
            var name = displayName is { Length: > 0 } ? NameOf(displayName) : null;
            return new Recipient(email, displayName, name, field, staff, senderDomain ? null : OrganisationOf(email));
        }

        private string? OrganisationOf(string email)
        {
            if (Domains.TryDomain(email, out var span) && _organisations.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(span, out var known))
            {
                return known;
            }

            var domain = Domains.Of(email);
            if (!_organisations.TryGetValue(domain, out var organisation))
            {
                _organisations[domain] = organisation = Domains.IsPublic(domain) ? null : domain;
            }

            return organisation;
        }

        /// <summary>The value that identifies a field's owner, or null when the value identifies nobody.</summary>
        private string? Identity(KeyInfo info, DataCategory category, string raw, string norm, bool constant, Dictionary<string, bool> constantPhones)
        {
            if (norm.Length == 0)
            {
                return null;
            }

            var identity = category switch
            {
                DataCategory.Name => NameValue.Parse(raw)?.Key,
                DataCategory.Email => TextNormalizer.NormalizeEmail(raw),
                DataCategory.Phone => PhonesInText.Canonical(norm) is { Length: >= Thresholds.MinPhoneDigits } digits
                    && !(constant && !IsMobile(digits, raw, constantPhones)) ? digits : null,
                DataCategory.MemberId => norm.Length >= Thresholds.MinIdLength && !FieldClassifier.IsMoneyOrDate(norm) && !constant ? norm : null,
                DataCategory.Address => norm.Length >= 6 && !constant ? norm : null,
                DataCategory.BirthDate => norm.Length >= 6 ? norm : null,
                DataCategory.CardNumber => PhonesInText.DigitsOf(norm) is { Length: >= 12 } digits ? digits : null,
                DataCategory.BankAccount => norm.Length >= 6 ? norm : null,
                _ => null,
            };

            return identity ?? (info.PolicyPersonal || info.PolicySubjectKey ? norm : null);
        }

        /// <summary>A number every personalization shares is an office's unless it is a mobile number (parsed once per value).</summary>
        private bool IsMobile(string digits, string raw, Dictionary<string, bool> cache)
        {
            if (!cache.TryGetValue(digits, out var mobile))
            {
                var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
                try
                {
                    var number = util.Parse(TextNormalizer.Nfkc(raw), _region);
                    mobile = util.GetNumberType(number) is PhoneNumbers.PhoneNumberType.MOBILE or PhoneNumbers.PhoneNumberType.PERSONAL_NUMBER;
                }
                catch (PhoneNumbers.NumberParseException)
                {
                    mobile = false;
                }

                cache[digits] = mobile;
            }

            return mobile;
        }

        /// <summary>What the role-less fields that identify no one (seat, amount, due date) add to the anchor's categories.</summary>
        private static CategorySet LooseCategoriesOf(List<Record> records)
        {
            var loose = new CategorySet();
            foreach (var r in records)
            {
                if (r.Role == PartyRole.Self && !r.IsPerson)
                {
                    loose.UnionWith(r.Categories);
                }
            }

            return loose.Contains(DataCategory.Other) ? loose.Without(DataCategory.Other) : loose;
        }

        private static Record? ChooseAnchor(Record[] persons)
        {
            var main = persons.FirstOrDefault(r => r.Role == PartyRole.Self && !r.Listed);
            if (main is not null)
            {
                return main;
            }

            var listed = persons.Where(r => r.Listed).ToArray();
            if (listed.Length == 1 && persons.Length == 1)
            {
                return listed[0];
            }

            foreach (var role in (ReadOnlySpan<PartyRole>)[PartyRole.Household, PartyRole.Billing, PartyRole.Dependant, PartyRole.ShipTo])
            {
                if (persons.FirstOrDefault(r => r.Role == role) is { } r)
                {
                    return r;
                }
            }

            return null;
        }

        /// <summary>Where numbers written without a country code come from: the sender's country, as its domain or language shows.</summary>
        private string Region()
        {
            var domain = Mail.From is null ? "" : Domains.Of(Mail.From.Email);
            var tld = domain[(domain.LastIndexOf('.') + 1)..];
            if (tld is "jp" or "de" or "fr")
            {
                return tld.ToUpperInvariant();
            }

            if (tld is "uk")
            {
                return "GB";
            }

            // Any other country's domain (.nl, .it, .es, .kr) says whose numbering plan local numbers follow ("06-…" is a Dutch
            // mobile, not an Osaka landline), except the country domains sold as brand names.
            if (tld.Length == 2 && tld is not ("io" or "co" or "me" or "tv" or "ai" or "fm" or "ly" or "to" or "cc" or "ws" or "gg" or "sh" or "so")
                && PhonesInText.IsRegion(tld.ToUpperInvariant()))
            {
                return tld.ToUpperInvariant();
            }

            var sample = string.Concat((Mail.Subject ?? "") + " " + (Mail.From?.Name ?? "") + " " + (Mail.Personalizations[0].Subject ?? "") + " "
                + string.Join(' ', Mail.Personalizations[0].Data.Take(12).Select(d => d.Value)) + " "
                + string.Join(' ', Mail.Content.Select(c => c.Text.Length > 600 ? c.Text[..600] : c.Text)));
            if (sample.Any(c => c is >= '\u3040' and <= '\u9FFF'))
            {
                return "JP";
            }

            int Count(params string[] markers) => markers.Sum(m => sample.Contains(m, StringComparison.OrdinalIgnoreCase) ? 1 : 0);
            var german = Count("ä", "ö", "ü", "ß", " und ", "sehr geehrte", " ihre ", " ihr ", "€", "straße");
            var french = Count("é", "è", "ê", "à", "ç", " vous ", " votre ", "bonjour", "madame", "monsieur", " rue ");
            var british = Count("£", " uk", "postcode", "colour", "dear customer");
            return german >= 2 && german >= french ? "DE" : french >= 2 ? "FR" : british >= 1 ? "GB" : "US";
        }
    }
}
