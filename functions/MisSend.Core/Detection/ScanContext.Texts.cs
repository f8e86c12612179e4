using MisSend.Core.Batches;
using MisSend.Core.Detection.Model;
using MisSend.Core.Detection.Recognizers;
using MisSend.Core.Text;

namespace MisSend.Core.Detection;

public sealed partial class ScanContext
{
    /// <summary>A value and the people who hold it (nearly always one: kept inline, a list only for shared values).</summary>
    private sealed class Needle(DataCategory category, Person first)
    {
        private List<Person>? _more;

        public DataCategory Category { get; } = category;

        public int OwnerCount => 1 + (_more?.Count ?? 0);

        public IEnumerable<Person> Owners => _more is null ? [first] : _more.Prepend(first);

        public bool IsOwnedByAny(List<Person> people) => people.Contains(first) || (_more is not null && _more.Exists(people.Contains));

        public void AddOwner(Person p)
        {
            if (p != first && !(_more?.Contains(p) ?? false))
            {
                (_more ??= new(1)).Add(p);
            }
        }
    }

    /// <summary>One person found in a text, and whether the evidence is strong enough to call it their data.</summary>
    private sealed class Mention(Person person)
    {
        public Person Person { get; } = person;
        private CategorySet _categories;

        public ref CategorySet Categories => ref _categories;
        public HashSet<string> Values { get; } = new(StringComparer.Ordinal);
        public bool Strong { get; set; }
    }

    private sealed partial class Builder
    {
        // ------------------------------------------------------------------ needles

        /// <summary>Every identifying value of every person, folded; values many people share identify nobody and are left out.</summary>
        private NeedleIndex<Needle> BuildNeedles()
        {
            var needles = new Dictionary<string, Needle>(People.Count * 6, StringComparer.Ordinal);

            void Add(string value, DataCategory category, Person owner)
            {
                if (value.Length < NeedleIndex<Needle>.MinLength || (System.Text.Ascii.IsValid(value) && value.Length < Thresholds.MinAsciiNeedleLength))
                {
                    return;
                }

                if (!needles.TryGetValue(value, out var needle))
                {
                    needles[value] = new Needle(category, owner);
                    return;
                }

                needle.AddOwner(owner);
            }

            foreach (var p in People)
            {
                foreach (var e in p.Emails)
                {
                    Add(TextNormalizer.Normalize(e), DataCategory.Email, p);
                }

                foreach (var e in p.Addresses)
                {
                    Add(TextNormalizer.Normalize(e), DataCategory.Email, p);
                }

                foreach (var t in p.Phones)
                {
                    Add(t, DataCategory.Phone, p);
                }

                foreach (var m in p.Numbers)
                {
                    var value = m[(m.IndexOf('=') + 1)..];
                    if (!FieldClassifier.IsNonIdentifyingShape(value) || value.Length >= 7)
                    {
                        Add(value, DataCategory.MemberId, p);
                    }
                }

                foreach (var record in p.Records)
                {
                    foreach (var f in record.IdentifyingFields)
                    {
                        if (f.Identity is { } id && f.Category is DataCategory.Address or DataCategory.CardNumber or DataCategory.BankAccount)
                        {
                            Add(id, f.Category, p);
                        }
                    }
                }

                if (p.Name is { IsFull: true } name)
                {
                    foreach (var n in name.Needles())
                    {
                        Add(n, DataCategory.Name, p);
                    }
                }
            }

            // A value many people share (a surname, a household, a venue) identifies nobody.
            var common = Math.Max(Thresholds.CommonValueMinPeople, People.Count / Thresholds.CommonValueBatchShare);
            return new NeedleIndex<Needle>(needles.Where(kv => kv.Value.OwnerCount < common));
        }

        /// <summary>
        /// People whose values occur in <paramref name="text"/> (normalized). A name alone is weak evidence (a namesake, a
        /// public figure) unless the text addresses or labels the person (様, Dear, Herr, 氏名:) or
        /// <paramref name="namesAreStrong"/>; any other identifier is strong, and so is a name beside another value of the
        /// same person. Matches inside one of <paramref name="ownValues"/> are not mentions: in "佐藤健一様", "佐藤健" is part of
        /// the recipient's own name.
        /// </summary>
        private Dictionary<Person, Mention> Mentions(string text, List<Person>? own, IReadOnlyList<string>? ownValues, bool namesAreStrong)
        {
            if (_needles.Count == 0 || text.Length < NeedleIndex<Needle>.MinLength)
            {
                return NoMentions;
            }

            // Most texts name nobody: look for matches first, and only then work out what is the recipient's own.
            List<(int At, string Key, Needle Needle)>? matches = null;
            foreach (var match in _needles.Matches(text))
            {
                (matches ??= []).Add(match);
            }

            if (matches is null)
            {
                return NoMentions;
            }

            bool[]? mask = null;
            if (ownValues is not null)
            {
                foreach (var value in ownValues)
                {
                    for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
                    {
                        mask ??= new bool[text.Length];
                        mask.AsSpan(at, value.Length).Fill(true);
                    }
                }
            }

            var found = new Dictionary<Person, Mention>();
            foreach (var (at, key, needle) in matches)
            {
                if (mask is not null && !mask.AsSpan(at, key.Length).Contains(false))
                {
                    continue;
                }

                if (own is not null && needle.IsOwnedByAny(own))
                {
                    continue;
                }

                // "山田大輔選手", "captain Jane Roe": a public figure with their title, not the member who shares the name.
                if (needle.Category == DataCategory.Name && !namesAreStrong && PublicFigure(text, at, key.Length))
                {
                    continue;
                }

                var strong = needle.Category != DataCategory.Name || namesAreStrong || Addressed(text, at, key.Length);
                foreach (var owner in needle.Owners)
                {
                    if (!found.TryGetValue(owner, out var mention))
                    {
                        found[owner] = mention = new Mention(owner);
                    }

                    mention.Categories.Add(needle.Category);
                    mention.Values.Add(key);
                    mention.Strong |= strong;
                }
            }

            foreach (var m in found.Values)
            {
                m.Strong |= m.Categories.Count >= 2;
            }

            return found;
        }

        private static readonly Dictionary<Person, Mention> NoMentions = [];

        /// <summary>Does any value of someone other than <paramref name="own"/> occur in the text? Most personal texts only name their recipient.</summary>
        private bool MentionsSomeoneElse(string text, List<Person> own)
        {
            if (!_needles.MayMatch(text))
            {
                return false;
            }

            // A value one of the recipient's own people holds is theirs, even when a namesake holds it too.
            foreach (var (_, _, needle) in _needles.Matches(text))
            {
                if (!needle.IsOwnedByAny(own))
                {
                    return true;
                }
            }

            return false;
        }

        private static readonly string[] HonorificsAfter = ["様", "さま", "さん", "殿", "くん", "ちゃん", "御中", "sama", "san"];

        private static readonly string[] SalutationsBefore =
        [
            "dear", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "dr", "dr.", "herr", "herrn", "frau", "mme", "mme.", "madame", "monsieur", "mlle",
            "氏名:", "名前:", "お名前:", "宛名:", "患者名:", "生徒名:", "name:", "nom:", "patient:", "customer:", "kunde:",
        ];

        private static readonly string[] PublicTitlesAfter =
        [
            "選手", "監督", "コーチ", "キャプテン", "主将", "会長", "社長", "代表取締役", "市長", "知事", "議員", "理事長", "学長", "校長",
        ];

        private static readonly string[] PublicTitlesBefore =
        [
            "player", "striker", "coach", "captain", "mayor", "chairman", "chairwoman", "president", "ceo", "spieler", "trainer", "kapitän",
            "bürgermeister", "joueur", "entraîneur", "capitaine", "maire", "président",
        ];

        /// <summary>Is the name at <paramref name="at"/> a public figure's, written with their public role (選手, キャプテン, Mayor)?</summary>
        private static bool PublicFigure(string text, int at, int length)
        {
            var after = text.AsSpan(at + length);
            foreach (var t in PublicTitlesAfter)
            {
                if (after.StartsWith(t, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            var before = text.AsSpan(Math.Max(0, at - Thresholds.SalutationWindow), Math.Min(at, Thresholds.SalutationWindow));
            foreach (var t in PublicTitlesBefore)
            {
                if (before.EndsWith(t, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Is the name at <paramref name="at"/> addressed (様, Dear, Herr) or labelled (氏名:, Name:)?</summary>
        private static bool Addressed(string text, int at, int length)
        {
            var after = text.AsSpan(at + length);
            foreach (var h in HonorificsAfter)
            {
                if (after.StartsWith(h, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            var before = text.AsSpan(Math.Max(0, at - Thresholds.SalutationWindow), Math.Min(at, Thresholds.SalutationWindow));
            foreach (var s in SalutationsBefore)
            {
                if (before.EndsWith(s, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        // ------------------------------------------------------------------ a personalization's own texts

        /// <summary>A subject line, greeting, preheader, header or any merge value of a personalization naming another person.</summary>
        private void SearchOwnTexts(View v)
        {
            List<Person>? own = null;
            List<string>? ownValues = null;

            // A text written for this recipient (it differs between personalizations) that names another person of the
            // batch is about that person; a text everyone gets alike may name a namesake or a public figure.
            if (v.Source.Subject is { Length: > 0 } subject)
            {
                Search("the subject line", mergeKey: false, TextNormalizer.Normalize(subject), !_sharedSubjects.Contains(subject));
            }

            // A field that identifies someone is a value of a record (judged as such); a constant field is the same text in
            // every mail and is searched once, with the shared content.
            foreach (var f in v.Fields)
            {
                if (f.Identity is null && !f.Constant && f.Category == DataCategory.Other && f.Norm.Length >= NeedleIndex<Needle>.MinLength
                    && !FieldClassifier.IsNonIdentifyingShape(f.Norm))
                {
                    Search(f.Key.Key, mergeKey: true, f.Norm, personal: true);
                }
            }

            foreach (var h in v.Source.Headers)
            {
                Search("the header " + h.Key, mergeKey: false, TextNormalizer.Normalize(h.Value), personal: true);
            }

            void Search(string label, bool mergeKey, string norm, bool personal)
            {
                if (!_needles.MayMatch(norm))
                {
                    return;
                }

                own ??= OwnPeople(v);
                if (!MentionsSomeoneElse(norm, own))
                {
                    return;
                }

                var where = mergeKey ? $"the merge value \"{label}\"" : label;
                ownValues ??= OwnValues(v);
                foreach (var mention in Mentions(norm, own, ownValues, namesAreStrong: personal).Values.Where(m => m.Strong))
                {
                    foreach (var x in v.Outside)
                    {
                        var reach = ReachOf(v, x, mention.Person, PartyRole.Self);
                        reach.Categories.UnionWith(mention.Categories);
                        if (IsConfirmed(x, mention.Person))
                        {
                            reach.Entitlement = Entitlement.Self;
                        }
                        else
                        {
                            reach.Deny(ExposureCause.Mentioned, $"{where} names another person of this batch ({Describe(mention.Person)})");
                        }
                    }
                }
            }
        }

        /// <summary>The people of a personalization's own records and recipients (a few).</summary>
        private List<Person> OwnPeople(View v)
        {
            var own = new List<Person>(v.Records.Length + v.Recipients.Length);
            foreach (var r in v.Records)
            {
                AddOnce(own, People[r.Person]);
            }

            foreach (var x in v.Recipients)
            {
                AddOnce(own, _byAddress[x.Email]);
            }

            return own;

            static void AddOnce(List<Person> people, Person p)
            {
                if (!people.Contains(p))
                {
                    people.Add(p);
                }
            }
        }

        private List<string> OwnValues(View v)
        {
            var values = new List<string>();
            foreach (var r in v.Records)
            {
                foreach (var f in r.IdentifyingFields)
                {
                    values.Add(f.Category == DataCategory.Name ? TextNormalizer.NormalizeName(f.Raw) : f.Norm);
                }
            }

            foreach (var x in v.Recipients)
            {
                values.Add(TextNormalizer.Normalize(x.Email));
                if (x.DisplayName is { Length: > 0 } name)
                {
                    values.Add(TextNormalizer.NormalizeName(name));
                }
            }

            values.RemoveAll(s => s.Length < 2);
            return values;
        }

        // ------------------------------------------------------------------ shared texts

        private void SearchSharedTexts()
        {
            var sharedSubjectAudience = Views.Where(v => v.Source.Subject is null).ToList();
            if (Mail.Subject is { Length: > 0 } subject && sharedSubjectAudience.Count > 0)
            {
                SharedTexts.Add(new SharedText("the shared subject line", subject, SubjectLine: true));
            }

            SharedTexts.AddRange(Mail.Content.Select((c, i) => new SharedText($"content[{i}] ({c.Type})", c.Text, SubjectLine: false)));
            if (Views.Count > 1)
            {
                SharedTexts.AddRange(Views[0].Fields.Where(f => f.Constant && f.Identity is null && f.Norm.Length >= NeedleIndex<Needle>.MinLength && !FieldClassifier.IsNonIdentifyingShape(f.Norm))
                    .Select(f => new SharedText($"the merge value \"{f.Key.Key}\" (the same in every mail)", f.Raw, SubjectLine: false)));
            }

            SharedTexts.AddRange(Mail.Attachments.Where(a => a.Text is not null)
                .Select(a => new SharedText($"the attachment {a.FileName ?? a.Type}", a.Text!, SubjectLine: false)));

            foreach (var text in SharedTexts)
            {
                var audience = text.SubjectLine ? sharedSubjectAudience : Views;
                SearchSharedText(text, audience);
            }
        }

        private void SearchSharedText(SharedText shared, IReadOnlyList<View> audience)
        {
            var mentions = new Dictionary<Person, Mention>();
            var rows = 0;
            var rowPeople = new HashSet<string>(StringComparer.Ordinal);
            var strangerRows = new List<List<Identifier>>();
            var personal = new List<Identifier>();
            var lines = shared.Text.Split('\n');
            var header = CsvHeader(lines, shared);
            foreach (var line in lines)
            {
                var folded = TextNormalizer.Nfkc(line);
                var lineMentions = Mentions(TextNormalizer.Normalize(folded), null, null, namesAreStrong: false);
                var ids = Recognize(folded, header).Where(id => !BelongsToBatch(id, lineMentions)).ToList();
                var lineRow = ids.Where(i => i.Personal).ToList();
                foreach (var m in lineMentions.Values)
                {
                    if (!mentions.TryGetValue(m.Person, out var total))
                    {
                        mentions[m.Person] = total = new Mention(m.Person);
                    }

                    total.Categories.UnionWith(m.Categories);
                    total.Values.UnionWith(m.Values);
                    total.Strong |= m.Strong;
                }

                // A row of a list names or addresses someone; a line with only a phone or an address continues a block.
                if (lineMentions.Values.Any(m => PersonAnchors.Any(m.Categories.Contains)) || lineRow.Any(i => PersonAnchors.Contains(i.Category)))
                {
                    rows++;
                    foreach (var m in lineMentions.Keys)
                    {
                        rowPeople.Add("p" + m.Id);
                    }

                    foreach (var id in lineRow)
                    {
                        rowPeople.Add(id.Category + ":" + id.Value);
                    }
                }

                if (lineRow.Count > 0 && lineMentions.Count == 0)
                {
                    strangerRows.Add(lineRow);
                }

                personal.AddRange(ids.Where(i => i.Personal));
            }

            var roster = rows >= Thresholds.RosterMinRows && rowPeople.Count >= 2;
            TextExposure? named = null;
            foreach (var m in mentions.Values)
            {
                m.Strong |= m.Categories.Count >= 2 || m.Values.Count >= 2 || roster;
                if (m.Strong)
                {
                    Expose(named ??= NewTextExposure(shared, "holds the data of a person of this batch"), m.Person, m.Categories);
                }
            }

            var strangers = new List<List<Identifier>>();
            if (roster)
            {
                strangers.AddRange(strangerRows);
            }
            else if (personal.Select(i => i.Category).Distinct().Count() >= Thresholds.StrangerMinKinds
                     || personal.Any(i => i.Category is DataCategory.CardNumber or DataCategory.Health or DataCategory.BirthDate))
            {
                strangers.Add(personal);
            }

            // A mail to one party only (a single customer's receipt) naturally holds that party's own data.
            if (strangers.Count == 0 || (!roster && OneParty(audience)))
            {
                return;
            }

            var exposure = NewTextExposure(shared, roster ? "holds a list of people (a roster or an export)" : "holds an outside person's data");
            foreach (var row in strangers)
            {
                var stranger = Stranger(row);
                People.Add(stranger);
                var categories = new CategorySet();
                foreach (var id in row)
                {
                    categories.Add(id.Category);
                }

                Expose(exposure, stranger, categories);
            }
        }

        /// <summary>Do all outside recipients of <paramref name="audience"/> belong to one party (one address, or one organisation)?</summary>
        private static bool OneParty(IReadOnlyList<View> audience)
        {
            string? party = null;
            foreach (var v in audience)
            {
                foreach (var x in v.Outside)
                {
                    var other = x.Organisation ?? x.Email;
                    if ((party ??= other) != other)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>Someone only a shared text names, from the identifiers of their row.</summary>
        private Person Stranger(List<Identifier> row)
        {
            var stranger = new Person(People.Count) { Stranger = true };
            foreach (var id in row)
            {
                switch (id.Category)
                {
                    case DataCategory.Email:
                        stranger.AddEmail(id.Value);
                        break;
                    case DataCategory.Phone:
                        stranger.AddPhone(id.Value);
                        break;
                    case DataCategory.Name:
                        stranger.Name ??= NameValue.Parse(id.Value);
                        break;
                    default:
                        stranger.AddOtherId(id.Category + ":" + id.Value);
                        break;
                }
            }

            return stranger;
        }

        private static readonly HashSet<DataCategory> PersonAnchors = [DataCategory.Name, DataCategory.Email, DataCategory.MemberId];

        private TextExposure NewTextExposure(SharedText shared, string what)
        {
            var exposure = new TextExposure(shared.SubjectLine, $"{shared.Where} {what}, and goes to every recipient");
            TextExposures.Add(exposure);
            return exposure;
        }

        /// <summary>
        /// The text shows <paramref name="person"/> to every outside recipient who sees it. Recipients who are the person (or
        /// already have a reach of them) keep a single reach; every other recipient becomes a cell of the text's entry.
        /// Linear in the person's own reaches and addresses, not in the recipients: a roster names hundreds of people.
        /// </summary>
        private void Expose(TextExposure text, Person person, CategorySet categories)
        {
            if (!_textsOf.TryGetValue(person, out var earlier))
            {
                _textsOf[person] = earlier = [];
            }

            // Every text reaches the mails without their own subject line; only a text other than the subject line reaches the rest.
            var entry = new TextExposure.Entry(text, person, categories, _sequence, Subjectless: earlier.Count == 0,
                Others: !text.SubjectLine && !earlier.Exists(e => !e.Text.SubjectLine));
            _sequence += _cells;
            text.People.Add(entry);
            earlier.Add(entry);
            if (person.Stranger)
            {
                return;
            }

            foreach (var reach in ReachesOf(person))
            {
                if (text.Reaches(reach.View))
                {
                    reach.Categories.UnionWith(categories);
                    if (IsConfirmed(reach.Recipient, person))
                    {
                        reach.Entitlement = Entitlement.Self;
                    }
                }
            }

            // The person's own addresses among the recipients who see the text: they see their own data.
            foreach (var email in AddressesOf(person))
            {
                foreach (var (v, at) in Occurrences(email))
                {
                    if (text.Reaches(v) && !_reaches.ContainsKey((v.Index, email, person.Id)))
                    {
                        var reach = new Reach(v, v.Outside[at], person, PartyRole.Self) { Sequence = entry.FirstCell + _cellOffsets[v.Index] + at, Entitlement = Entitlement.Self };
                        reach.Categories.UnionWith(categories);
                        Add((v.Index, email, person.Id), reach);
                    }
                }
            }
        }

        /// <summary>The texts that show each person, in the order they were read.</summary>
        private readonly Dictionary<Person, List<TextExposure.Entry>> _textsOf = [];

        /// <summary>The entry whose cell (<paramref name="v"/>, any recipient, <paramref name="p"/>) is: the first text that showed p there.</summary>
        private TextExposure.Entry? CellOf(View v, Person p) =>
            _textsOf.TryGetValue(p, out var entries) ? entries.Find(e => e.HasCellsIn(v)) : null;

        /// <summary>What the texts that reach <paramref name="v"/> show of <paramref name="p"/>.</summary>
        private CategorySet CategoriesShown(View v, Person p)
        {
            var shown = new CategorySet();
            foreach (var e in _textsOf.GetValueOrDefault(p) ?? [])
            {
                if (e.Text.Reaches(v))
                {
                    shown.UnionWith(e.Categories);
                }
            }

            return shown;
        }

        private Dictionary<Person, List<Reach>>? _reachesOf;
        private Dictionary<Person, List<string>>? _confirmedOf;
        private Dictionary<string, List<(View View, int At)>>? _occurrences;

        /// <summary>The single reaches of a person (indexed when a text first needs them, then kept up to date).</summary>
        private List<Reach> ReachesOf(Person p)
        {
            if (_reachesOf is null)
            {
                _reachesOf = [];
                foreach (var r in _reaches.Values)
                {
                    ReachesOf(r.Person).Add(r);
                }
            }

            if (!_reachesOf.TryGetValue(p, out var list))
            {
                _reachesOf[p] = list = [];
            }

            return list;
        }

        /// <summary>The recipient addresses that are <paramref name="p"/>'s (see <see cref="IsConfirmed"/>).</summary>
        private IEnumerable<string> AddressesOf(Person p)
        {
            if (_confirmedOf is null)
            {
                _confirmedOf = [];
                foreach (var (email, people) in _confirmed)
                {
                    foreach (var person in people)
                    {
                        (_confirmedOf.TryGetValue(person, out var list) ? list : _confirmedOf[person] = []).Add(email);
                    }
                }
            }

            return p.Emails.Concat(p.Addresses).Concat(_confirmedOf.GetValueOrDefault(p) ?? []);
        }

        /// <summary>Where an address is an outside recipient: the personalization and its place there.</summary>
        private List<(View View, int At)> Occurrences(string email)
        {
            if (_occurrences is null)
            {
                _occurrences = new(StringComparer.Ordinal);
                foreach (var v in Views)
                {
                    for (var at = 0; at < v.Outside.Length; at++)
                    {
                        var x = v.Outside[at].Email;
                        (_occurrences.TryGetValue(x, out var list) ? list : _occurrences[x] = []).Add((v, at));
                    }
                }
            }

            return _occurrences.GetValueOrDefault(email) ?? [];
        }

        /// <summary>Values that are a batch person's (already counted as a mention) or the sender's own are no stranger's.</summary>
        private bool BelongsToBatch(Identifier id, Dictionary<Person, Mention> lineMentions) => id.Category switch
        {
            DataCategory.Email => _byAddress.ContainsKey(id.Value) || Sender.IsSenderAddress(id.Value) || Sender.IsSenderDomain(id.Value),
            DataCategory.Phone => lineMentions.Values.Any(m => m.Person.Phones.Contains(id.Value)) || People.Any(p => !p.Stranger && p.Phones.Contains(id.Value)),
            DataCategory.Name => lineMentions.Values.Any(m => m.Person.Name?.Key == id.Value),
            _ => lineMentions.Values.Any(m => m.Values.Contains(id.Value)),
        };

        /// <summary>Every recognizer over one line of NFKC-folded text, plus the columns a CSV header labels as names.</summary>
        private IEnumerable<Identifier> Recognize(string line, CsvColumns? header)
        {
            foreach (var id in EmailsInText.Find(line))
            {
                yield return id;
            }

            foreach (var id in PhonesInText.Find(line, _region))
            {
                yield return id;
            }

            foreach (var id in LabelledValues.Find(line))
            {
                yield return id;
            }

            foreach (var id in NamesInText.Find(line))
            {
                yield return id;
            }

            foreach (var id in PaymentCards.Find(line))
            {
                yield return id;
            }

            foreach (var id in Iban.Find(line))
            {
                yield return id;
            }

            foreach (var id in PostalAddresses.Find(line))
            {
                yield return id;
            }

            if (header is not null)
            {
                foreach (var id in header.Cells(line))
                {
                    yield return id;
                }
            }
        }

        /// <summary>A CSV or TSV whose first line labels columns (氏名, Name, Nom, 生年月日 ...): the cells below are those values.</summary>
        private sealed class CsvColumns(char separator, Dictionary<int, DataCategory> columns)
        {
            public IEnumerable<Identifier> Cells(string line)
            {
                var cells = line.Split(separator);
                var offset = 0;
                for (var i = 0; i < cells.Length; offset += cells[i].Length + 1, i++)
                {
                    if (!columns.TryGetValue(i, out var category))
                    {
                        continue;
                    }

                    var cell = cells[i].Trim().Trim('"');
                    if (category == DataCategory.Name && NameValue.IsPlausible(cell) && NameValue.Parse(cell) is { } name)
                    {
                        yield return new Identifier(DataCategory.Name, offset, cells[i].Length, name.Key, Personal: true);
                    }
                    else if (category is DataCategory.BirthDate or DataCategory.MemberId or DataCategory.Health && cell.Length >= 2)
                    {
                        yield return new Identifier(category, offset, cells[i].Length, TextNormalizer.Normalize(cell), Personal: true);
                    }
                }
            }
        }

        private static CsvColumns? CsvHeader(string[] lines, SharedText shared)
        {
            if (lines.Length < 2 || shared.SubjectLine)
            {
                return null;
            }

            var first = TextNormalizer.Nfkc(lines[0]);
            var separator = first.Contains('\t') ? '\t' : first.Contains(',') ? ',' : first.Contains(';') ? ';' : '\0';
            if (separator == '\0')
            {
                return null;
            }

            var columns = new Dictionary<int, DataCategory>();
            var cells = first.Split(separator);
            for (var i = 0; i < cells.Length; i++)
            {
                var label = cells[i].Trim().Trim('"', '\uFEFF').ToLowerInvariant();
                var info = FieldClassifier.Describe(label, BatchPolicy.Default);
                if (info.Role is PartyRole.Staff or PartyRole.Public or PartyRole.Organisation)
                {
                    continue;
                }

                if (info.Category is DataCategory.Name or DataCategory.BirthDate or DataCategory.Health || info.Category == DataCategory.MemberId && label.Length > 2)
                {
                    columns[i] = info.Category.Value;
                }
            }

            return columns.Count == 0 ? null : new CsvColumns(separator, columns);
        }

        // ------------------------------------------------------------------ sender fields

        /// <summary>from.name, reply_to and headers are seen by every recipient: a person's name or address there is exposed.</summary>
        private void SearchSenderFields()
        {
            var fields = new List<(string Where, string Text)>();
            if (Mail.From?.Name is { Length: > 0 } fromName)
            {
                fields.Add(("from.name", fromName));
            }

            foreach (var (a, i) in new[] { Mail.ReplyTo }.Concat(Mail.ReplyToList).Select((a, i) => (a, i)))
            {
                if (a is null)
                {
                    continue;
                }

                var email = TextNormalizer.NormalizeEmail(a.Email);
                if (!Sender.OwnAddresses.Contains(email) && _byAddress.TryGetValue(email, out var owner))
                {
                    ExposeEverywhere(owner, [DataCategory.Email], "reply_to is the address of a person of this batch");
                }
                else if (Sender.OutsideReplyTo.Contains(a))
                {
                    ExposeStranger(email, a.Name, "reply_to is the address of an outside person");
                }

                if (a.Name is { Length: > 0 } name)
                {
                    fields.Add(("reply_to.name", name));
                }
            }

            foreach (var h in Mail.Headers)
            {
                fields.Add(($"the header {h.Key}", h.Value));
                foreach (var id in EmailsInText.Find(TextNormalizer.Nfkc(h.Value)))
                {
                    if (id.Personal && !_byAddress.ContainsKey(id.Value) && !Sender.IsSenderAddress(id.Value) && !Sender.IsSenderDomain(id.Value))
                    {
                        ExposeStranger(id.Value, null, $"the header {h.Key} holds an outside person's address");
                    }
                }
            }

            foreach (var (where, text) in fields)
            {
                foreach (var m in Mentions(TextNormalizer.Normalize(text), null, null, namesAreStrong: true).Values.Where(m => m.Strong))
                {
                    ExposeEverywhere(m.Person, m.Categories, $"{where} holds the data of a person of this batch");
                }
            }
        }

        /// <summary>A person known only by an address every recipient sees (a header, a reply-to): a stranger to all of them.</summary>
        private void ExposeStranger(string email, string? displayName, string why)
        {
            var stranger = new Person(People.Count) { Stranger = true, Name = displayName is null ? null : NameValue.ParsePlausible(displayName) };
            stranger.AddEmail(email);
            People.Add(stranger);
            ExposeEverywhere(stranger, stranger.Name is null ? [DataCategory.Email] : [DataCategory.Email, DataCategory.Name], why);
        }

        private void ExposeEverywhere(Person person, IEnumerable<DataCategory> categories, string why)
        {
            var cats = categories.ToArray();
            foreach (var v in Views)
            {
                foreach (var x in v.Outside)
                {
                    var reach = ReachOf(v, x, person, PartyRole.Self, out var created);
                    reach.Categories.UnionWith(cats);
                    if (IsConfirmed(x, person) || person.Owns(x.Email))
                    {
                        reach.Entitlement = Entitlement.Self;
                    }
                    else if (created || reach.Entitlement == Entitlement.AssumedSelf)
                    {
                        reach.Deny(ExposureCause.SenderField, why);
                    }
                }
            }
        }
    }
}
