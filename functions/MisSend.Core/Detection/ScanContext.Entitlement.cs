using MisSend.Core.Batches;
using MisSend.Core.Detection.Model;
using MisSend.Core.Detection.Recognizers;
using MisSend.Core.Text;

namespace MisSend.Core.Detection;

public sealed partial class ScanContext
{
    private sealed partial class Builder
    {
        // ------------------------------------------------------------------ people

        /// <summary>
        /// Records that share an e-mail address, a phone, a number, a card or a full name are one person, unless they
        /// contradict each other (two different names, two member numbers): a household shares an address and a landline,
        /// namesakes share a name, and neither is one person.
        /// </summary>
        private void LinkPeople()
        {
            var records = Views.Sum(v => v.Records.Length);
            var parent = new List<int>(records);
            var clusters = new List<Person>(records);

            // One index per kind of identifier (e-mail, phone, number, policy key, full name): the record that first had it.
            var byKind = new Dictionary<string, int>[5];
            for (var k = 0; k < byKind.Length; k++)
            {
                byKind[k] = new(StringComparer.Ordinal);
            }

            int Find(int i)
            {
                while (parent[i] != i)
                {
                    parent[i] = parent[parent[i]];
                    i = parent[i];
                }

                return i;
            }

            void Link(int index, int kind, string id)
            {
                if (!byKind[kind].TryGetValue(id, out var other))
                {
                    byKind[kind][id] = index;
                    return;
                }

                var (a, b) = (Find(index), Find(other));
                if (a != b && !clusters[a].ConflictsWith(clusters[b]))
                {
                    clusters[b].Absorb(clusters[a]);
                    parent[a] = b;
                }
            }

            foreach (var v in Views)
            {
                foreach (var record in v.Records)
                {
                    var index = clusters.Count;
                    parent.Add(index);
                    var person = new Person(index);
                    person.AddRecord(record);
                    clusters.Add(person);
                    foreach (var e in record.Emails)
                    {
                        Link(index, 0, e);
                    }

                    foreach (var t in record.Phones)
                    {
                        Link(index, 1, t);
                    }

                    foreach (var m in record.Numbers)
                    {
                        Link(index, 2, m);
                    }

                    if (record.PolicyKey is { } key)
                    {
                        Link(index, 3, key);
                    }

                    // A name alone links the mail's own subject (one customer's data copied everywhere) but not a pupil or a
                    // giftee of another family: two pupils may well share a name.
                    if (record.Name is { IsFull: true } name && (record.IsAnchor || record.Role == PartyRole.Self))
                    {
                        Link(index, 4, name.Key);
                    }
                }
            }

            for (var i = 0; i < clusters.Count; i++)
            {
                if (Find(i) == i)
                {
                    var person = clusters[i];
                    person.Id = People.Count;
                    People.Add(person);
                    foreach (var r in person.Records)
                    {
                        r.Person = person.Id;
                    }
                }
            }

            foreach (var person in People)
            {
                foreach (var email in person.Emails)
                {
                    _byAddress.TryAdd(email, person);
                }
            }
        }

        /// <summary>
        /// Who each recipient is. An address that the data names, a display name or an address spelling the anchor's
        /// name confirm the addressee as the anchor's person; every other address becomes a person of its own.
        /// </summary>
        private void BindRecipients()
        {
            foreach (var v in Views)
            {
                foreach (var x in v.Outside)
                {
                    foreach (var record in v.Records)
                    {
                        var person = People[record.Person];
                        if (Matches(x, person))
                        {
                            Confirm(x.Email, person);
                        }
                    }
                }
            }

            // An address that spells the name of a person of the batch is that person's (claire.dubois84@ is Claire Dubois).
            // Only addresses nothing else identified need it, which in most batches is none.
            var unknown = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var x in Views.SelectMany(v => v.Outside).Where(x => !_confirmed.ContainsKey(x.Email) && !_byAddress.ContainsKey(x.Email)))
            {
                var letters = NameValue.LocalPartLetters(x.Email);
                (unknown.TryGetValue(letters, out var list) ? list : unknown[letters] = []).Add(x.Email);
            }

            if (unknown.Count > 0)
            {
                var spelled = new Dictionary<string, Person?>(StringComparer.Ordinal);
                foreach (var person in People.Where(p => p.Name is { Script: NameScript.Latin } || p.Reading is not null))
                {
                    var forms = (person.Name?.LocalPartForms() ?? []).Concat(person.Reading?.LocalPartForms() ?? []);
                    foreach (var form in forms.Where(unknown.ContainsKey).Distinct())
                    {
                        spelled[form] = spelled.TryGetValue(form, out var other) && other != person ? null : person;
                    }
                }

                foreach (var (form, owner) in spelled)
                {
                    if (owner is not null)
                    {
                        foreach (var email in unknown[form])
                        {
                            Confirm(email, owner);
                        }
                    }
                }
            }

            foreach (var v in Views)
            {
                foreach (var x in v.Recipients)
                {
                    if (_byAddress.ContainsKey(x.Email))
                    {
                        continue;
                    }

                    var confirmed = _confirmed.GetValueOrDefault(x.Email);
                    if (confirmed is { Count: 1 })
                    {
                        var person = confirmed.First();
                        person.AddAddress(x.Email);
                        _byAddress[x.Email] = person;
                        continue;
                    }

                    var own = new Person(People.Count) { Name = x.Name };
                    own.AddAddress(x.Email);
                    People.Add(own);
                    _byAddress[x.Email] = own;
                }
            }
        }

        private void Confirm(string email, Person person)
        {
            if (!_confirmed.TryGetValue(email, out var list))
            {
                _confirmed[email] = list = new List<Person>(1);
            }

            if (!list.Contains(person))
            {
                list.Add(person);
            }
        }

        /// <summary>
        /// Is <paramref name="x"/> the person <paramref name="p"/>? By address, or by name unless the data's own address is
        /// another recipient of the batch (namesakes: 斎藤 隆 and 斎藤 隆 are two people when their addresses differ).
        /// </summary>
        private bool Matches(Recipient x, Person p)
        {
            if (p.Emails.Contains(x.Email))
            {
                return true;
            }

            if (p.Emails.Count > 0 && _recipientAddresses.Overlaps(p.Emails))
            {
                return false;
            }

            return (x.Name is not null && p.Name is not null && NameValue.Compare(x.Name, p.Name) == NameMatch.Same)
                || (p.Name is not null && NameValue.SpelledByLetters(p.Name, x.LocalPartLetters))
                || (p.Reading is not null && p.Reading.LocalPartForms().Contains(NameValue.LocalPartLetters(x.Email)));
        }

        private bool IsConfirmed(Recipient x, Person p) =>
            p.Owns(x.Email) || (_confirmed.TryGetValue(x.Email, out var set) && set.Contains(p));

        /// <summary>Evidence that <paramref name="x"/> is not <paramref name="p"/>, in masked words; null when there is none.</summary>
        /// <param name="role">
        /// A ship-to is whoever the buyer named (a gift's recipient, with their own address): their name or address differing
        /// from the recipient's proves nothing unless the batch ties them to another of its recipients (a shifted consignee).
        /// </param>
        private string? Contradiction(Recipient x, Person p, PartyRole role = PartyRole.Self)
        {
            if (role == PartyRole.ShipTo && !WrittenToElsewhere(p, x))
            {
                return null;
            }

            if (p.Emails.Count > 0 && !p.Emails.Contains(x.Email))
            {
                return $"the data belongs to {Mask.Email(p.Emails.First())} but goes to {Mask.Email(x.Email)}";
            }

            if (x.Name is not null && p.Name is not null && NameValue.Compare(x.Name, p.Name) == NameMatch.Different)
            {
                return $"the data names {Mask.Value(p.Name.Raw)} but the recipient is {Mask.Value(x.Name.Raw)} ({Mask.Email(x.Email)})";
            }

            // The recipient is known, elsewhere in the batch, as someone else.
            if (_byAddress.TryGetValue(x.Email, out var known) && known != p && known.Name is not null && p.Name is not null
                && NameValue.Compare(known.Name, p.Name) == NameMatch.Different)
            {
                return $"{Mask.Email(x.Email)} is {Mask.Value(known.Name.Raw)} elsewhere in the batch, but gets the data of {Mask.Value(p.Name.Raw)}";
            }

            return null;
        }

        private Reach ReachOf(View v, Recipient x, Person p, PartyRole role) => ReachOf(v, x, p, role, out _);

        private Reach ReachOf(View v, Recipient x, Person p, PartyRole role, out bool created)
        {
            var key = (v.Index, x.Email, p.Id);
            created = false;
            if (_reaches.TryGetValue(key, out var reach))
            {
                return reach;
            }

            if (CellOf(v, p) is { } shown)
            {
                // A cell of a text exposure looked at again becomes a single reach, where the text put it.
                reach = new Reach(v, x, p, PartyRole.Self) { Sequence = shown.FirstCell + _cellOffsets[v.Index] + Array.IndexOf(v.Outside, x) };
                reach.Categories.UnionWith(CategoriesShown(v, p));
                reach.Deny(ExposureCause.SharedText, shown.Text.Evidence);
            }
            else
            {
                created = true;
                reach = new Reach(v, x, p, role) { Sequence = _sequence++ };
            }

            Add(key, reach);
            return reach;
        }

        private void Add((int, string, int) key, Reach reach)
        {
            _reaches.Add(key, reach);
            if (_reachesOf is not null)
            {
                ReachesOf(reach.Person).Add(reach);
            }
        }

        // ------------------------------------------------------------------ what each recipient may see

        /// <summary>For each recipient of the personalization and each person in its data: themselves, related, or not entitled.</summary>
        private void Entitle(View v)
        {
            var addressee = v.Addressee;
            var household = HasFamily(v);
            bool Colleague(Recipient x) => IsColleague(v, x);
            bool Household(Recipient x) => household && x.Visible && SharesFamilyName(x, v);
            var anchorDenied = false;
            var familyList = IsFamilyList(v);
            // A pupil's mail goes to the guardian: the guardian's name or address differing from the pupil's proves nothing.
            if (v.Anchor is { Role: not PartyRole.Dependant } anchorRecord && addressee is not null && !IsConfirmed(addressee, People[anchorRecord.Person]))
            {
                anchorDenied = Contradiction(addressee, People[anchorRecord.Person], anchorRecord.Role) is not null;
            }

            foreach (var record in v.Records)
            {
                var person = People[record.Person];
                var isAnchor = record == v.Anchor;
                var categories = record.Categories;
                foreach (var x in v.Outside)
                {
                    var reach = ReachOf(v, x, person, isAnchor && record.Role == PartyRole.Dependant ? PartyRole.Dependant : record.Role, out var created);
                    if (!created && reach.Entitlement != Entitlement.Related)
                    {
                        // The person is already judged through another record of this mail; a relationship never relaxes that.
                        reach.Categories.UnionWith(categories);
                        continue;
                    }

                    reach.Categories.UnionWith(categories);
                    if (isAnchor)
                    {
                        reach.Categories.UnionWith(v.LooseCategories);
                    }

                    if (IsConfirmed(x, person))
                    {
                        reach.Entitlement = Entitlement.Self;
                        continue;
                    }

                    var inParty = x == addressee || Colleague(x) || Household(x) || (x.Visible && IsOwnParty(v, x));
                    if (isAnchor || (record.Role == PartyRole.Self && !record.Listed))
                    {
                        if (x == addressee)
                        {
                            if (record.Role != PartyRole.Dependant && Contradiction(x, person, record.Role) is { } why)
                            {
                                reach.Deny(ExposureCause.Mismatch, why);
                            }
                            else
                            {
                                // Whoever a pupil's mail goes to is taken for the guardian, not for the pupil.
                                reach.Entitlement = record.Role == PartyRole.Dependant ? Entitlement.Related : Entitlement.AssumedSelf;
                            }
                        }
                        else if (inParty && !anchorDenied)
                        {
                            reach.Entitlement = Colleague(x) ? Entitlement.Colleague : Entitlement.Related;
                        }
                        else
                        {
                            reach.Deny(anchorDenied ? ExposureCause.Mismatch : ExposureCause.ExtraRecipient,
                                $"{Mask.Email(x.Email)} ({x.Field.ToString().ToLowerInvariant()}) gets the data of {Describe(person)}");
                        }
                    }
                    else if (record.Listed && !(familyList && inParty && !anchorDenied))
                    {
                        reach.Deny(ExposureCause.Listed, $"one mail lists several people; {Mask.Email(x.Email)} gets the data of {Describe(person)}");
                    }
                    else if (anchorDenied)
                    {
                        reach.Deny(ExposureCause.Mismatch, $"{Mask.Email(x.Email)} gets the data of {Describe(person)}, whose mail this is not");
                    }
                    else if (inParty && OfAnotherOrganisation(x, person) is { } elsewhere)
                    {
                        reach.Deny(ExposureCause.Mismatch, $"{Mask.Email(x.Email)} gets the data of {Describe(person)}, a contact of another customer ({Mask.Email(elsewhere)})");
                    }
                    else if (inParty)
                    {
                        reach.Entitlement = Colleague(x) && x != addressee ? Entitlement.Colleague : Entitlement.Related;
                    }
                    else
                    {
                        reach.Deny(ExposureCause.ExtraRecipient, $"{Mask.Email(x.Email)} ({x.Field.ToString().ToLowerInvariant()}) gets the data of {Describe(person)}");
                    }
                }
            }
        }

        // ------------------------------------------------------------------ across personalizations

        /// <summary>
        /// What one personalization cannot show: the same person's data going to several recipients, and one recipient
        /// getting several people's data. An assumption ("the addressee is the subject") that two personalizations
        /// contradict is no longer an assumption.
        /// </summary>
        private void ResolveAcrossPersonalizations()
        {
            // Only people who reach more than one recipient can be copied.
            var reachCount = new int[People.Count];
            foreach (var r in _reaches.Values)
            {
                reachCount[r.Person.Id]++;
            }

            foreach (var group in GroupBy(_reaches.Values, r => !r.Person.Stranger && reachCount[r.Person.Id] > 1, r => r.Person.Id))
            {
                var person = group[0].Person;
                var selves = new HashSet<string>(StringComparer.Ordinal);
                var assumed = new List<Reach>();
                var assumedRecipients = new HashSet<string>(StringComparer.Ordinal);
                var guardians = new List<Reach>();
                var guardianRecipients = new HashSet<string>(StringComparer.Ordinal);
                foreach (var r in group)
                {
                    if (r.Entitlement == Entitlement.Self)
                    {
                        selves.Add(r.Recipient.Email);
                    }
                    else if (r.Entitlement == Entitlement.AssumedSelf)
                    {
                        assumed.Add(r);
                        assumedRecipients.Add(r.Recipient.Email);
                    }
                    else if (r.Role == PartyRole.Dependant && r.Entitlement == Entitlement.Related && r.Recipient == r.View.Addressee)
                    {
                        guardians.Add(r);
                        guardianRecipients.Add(r.Recipient.Email);
                    }
                }

                if (assumed.Count > 0 && (selves.Count > 0 || assumedRecipients.Count > 1) && !Namesakes(person, selves.Count + assumedRecipients.Count))
                {
                    foreach (var r in assumed)
                    {
                        if (!selves.Contains(r.Recipient.Email))
                        {
                            r.Deny(ExposureCause.Copied, $"the data of {Describe(person)} goes to {selves.Count + assumedRecipients.Count} different recipients");
                        }
                    }
                }

                if (guardianRecipients.Count > Thresholds.MaxGuardiansPerDependant)
                {
                    foreach (var r in guardians)
                    {
                        r.Deny(ExposureCause.Copied, $"the data of {Describe(person)} goes to {guardians.Count} different recipients");
                    }
                }
            }

            // Judged on the entitlements as they are now: a copy denied above no longer claims ownership.
            // Only a recipient with an assumption among several people's data can be a fan-in.
            var perRecipient = new Dictionary<string, int>(StringComparer.Ordinal);
            var assumedTo = new HashSet<string>(StringComparer.Ordinal);
            var confirmedIn = new HashSet<(int, string)>();
            foreach (var r in _reaches.Values)
            {
                if (r.Entitlement == Entitlement.Self)
                {
                    confirmedIn.Add((r.View.Index, r.Recipient.Email));
                }
            }

            // A record without a full name (an order or invoice number, a greeting by first name) in a mail whose recipient
            // the data names is that recipient's: one party, not a second person.
            bool OwnNumber(Reach r) => r.Entitlement == Entitlement.AssumedSelf && r.Person.Name is not { IsFull: true } && confirmedIn.Contains((r.View.Index, r.Recipient.Email));

            foreach (var r in _reaches.Values)
            {
                if (r.Entitlement is Entitlement.Self or Entitlement.AssumedSelf && !OwnNumber(r))
                {
                    perRecipient[r.Recipient.Email] = perRecipient.GetValueOrDefault(r.Recipient.Email) + 1;
                    if (r.Entitlement == Entitlement.AssumedSelf)
                    {
                        assumedTo.Add(r.Recipient.Email);
                    }
                }
            }

            foreach (var group in GroupBy(_reaches.Values,
                         r => r.Entitlement is Entitlement.Self or Entitlement.AssumedSelf && !OwnNumber(r) && perRecipient[r.Recipient.Email] > 1 && assumedTo.Contains(r.Recipient.Email),
                         r => r.Recipient.Email))
            {
                var people = new HashSet<Person>();
                foreach (var r in group)
                {
                    people.Add(r.Person);
                }

                people.RemoveWhere(q => group.Exists(r => r.Person == q && IsSubjectInOtherScript(r, people)));
                if (people.Count < 2)
                {
                    continue;
                }

                foreach (var r in group)
                {
                    if (r.Entitlement == Entitlement.AssumedSelf)
                    {
                        r.Deny(ExposureCause.FanIn, $"{Mask.Email(r.Recipient.Email)} would receive the data of {people.Count} different people");
                    }
                }
            }
        }

        /// <summary>
        /// A full name in Latin letters or kana beside a kanji name in the same mail (the card's embossed holder "IWASAKI
        /// HIDEKI" beside 岩崎 秀樹) cannot be compared with it without a dictionary of readings: it is taken for the
        /// subject's own name in another script, not a second person, when the batch knows it nowhere else and no other
        /// recipient's address spells it (a shifted holder "TOMITA YUICHI" beside ytomita807@ is someone else).
        /// </summary>
        private bool IsSubjectInOtherScript(Reach r, HashSet<Person> people)
        {
            var q = r.Person;
            var index = r.View.Index;
            if (q.Name is not { IsFull: true, Script: NameScript.Latin or NameScript.Kana } name || !q.Records.TrueForAll(rec => rec.Personalization == index)
                || q.Emails.Count > 0 || q.Phones.Count > 0)
            {
                return false;
            }

            if (!people.Any(p => p != q && p.Name is { IsFull: true, Script: NameScript.Han } && p.Records.Exists(rec => rec.Personalization == index)))
            {
                return false;
            }

            _recipientsByLetters ??= Views.SelectMany(v => v.Recipients).Select(x => x.Email).Distinct(StringComparer.Ordinal)
                .ToLookup(NameValue.LocalPartLetters, StringComparer.Ordinal);
            return !name.LocalPartForms().Any(form => _recipientsByLetters[form].Any(email => email != r.Recipient.Email));
        }

        private ILookup<string, string>? _recipientsByLetters;

        /// <summary>The batch writes to <paramref name="p"/> at an address other than <paramref name="x"/>'s: theirs, their name shown, or spelled.</summary>
        private bool WrittenToElsewhere(Person p, Recipient x)
        {
            if (_recipientAddresses.Overlaps(p.Emails) || p.Addresses.Any(a => a != x.Email))
            {
                return true;
            }

            if (p.Name is not { IsFull: true } name)
            {
                return false;
            }

            _recipientsByName ??= Views.SelectMany(v => v.Outside).Where(y => y.Name is { IsFull: true }).DistinctBy(y => y.Email)
                .ToLookup(y => y.Name!.Key, y => y.Email, StringComparer.Ordinal);
            _recipientsByLetters ??= Views.SelectMany(v => v.Recipients).Select(y => y.Email).Distinct(StringComparer.Ordinal)
                .ToLookup(NameValue.LocalPartLetters, StringComparer.Ordinal);
            return name.Needles().Any(key => _recipientsByName[key].Any(email => email != x.Email))
                || name.LocalPartForms().Any(form => _recipientsByLetters[form].Any(email => email != x.Email));
        }

        private ILookup<string, string>? _recipientsByName;

        /// <summary>
        /// Two mails that each name one person and hold nothing but the same full name, at two addresses that do not
        /// contradict it: two namesakes each greeted by name cannot be told from one name copied once, and a name alone
        /// shows a stranger nothing more. A mail naming anyone else too (a pupil beside the guardian) is a copy.
        /// </summary>
        private bool Namesakes(Person person, int recipients) =>
            recipients == 2 && person.Records.Count == 2 && person.Name is { IsFull: true }
            && person.Emails.Count == 0 && person.Phones.Count == 0 && person.Numbers.Count == 0 && person.OtherIds.Count == 0 && person.PolicyKey is null
            && person.Records.TrueForAll(r => Views[r.Personalization].Records.Length == 1 && r.IdentifyingFields.TrueForAll(f => f.Category == DataCategory.Name));

        /// <summary>The reaches that pass <paramref name="filter"/>, grouped by <paramref name="key"/> (all are filtered before any group is judged).</summary>
        private static List<List<Reach>> GroupBy<TKey>(IEnumerable<Reach> reaches, Func<Reach, bool> filter, Func<Reach, TKey> key)
            where TKey : notnull
        {
            var groups = new Dictionary<TKey, List<Reach>>();
            foreach (var r in reaches)
            {
                if (filter(r))
                {
                    var k = key(r);
                    if (!groups.TryGetValue(k, out var group))
                    {
                        groups[k] = group = [];
                    }

                    group.Add(r);
                }
            }

            return [.. groups.Values];
        }

        /// <summary>
        /// A second parent in To/Cc of a pupil's mail shares the family's name: in the display name, or spelled in the
        /// address. A stranger does not, and stays a stranger.
        /// </summary>
        private Dictionary<string, List<List<int>>>? _childrenByAddressee;

        private bool SharesFamilyName(Recipient x, View v)
        {
            if (x == v.Addressee)
            {
                return true;
            }

            // A guardian the batch writes to about other children is another family, whatever the surname.
            if (_childrenByAddressee is null)
            {
                _childrenByAddressee = [];
                foreach (var o in Views.Where(o => o.Addressee is not null))
                {
                    var kids = o.Records.Where(r => r.Role == PartyRole.Dependant).Select(r => r.Person).ToList();
                    if (kids.Count > 0)
                    {
                        (_childrenByAddressee.TryGetValue(o.Addressee!.Email, out var list) ? list : _childrenByAddressee[o.Addressee.Email] = []).Add(kids);
                    }
                }
            }

            var children = v.Records.Where(r => r.Role == PartyRole.Dependant).Select(r => r.Person).ToHashSet();
            if (_childrenByAddressee.TryGetValue(x.Email, out var theirs) && theirs.Any(kids => !kids.Any(children.Contains)))
            {
                return false;
            }

            var family = v.Records.Where(r => r.Role is PartyRole.Dependant or PartyRole.Household).Select(r => r.Name?.TellingFamily)
                .Append(v.Addressee?.Name?.TellingFamily).OfType<string>().ToHashSet(StringComparer.Ordinal);
            if (x.Name is not null)
            {
                return x.Name.Family is { } f && family.Contains(f);
            }

            var letters = NameValue.LocalPartLetters(x.Email);
            return family.Any(t => t.Length >= 3 && t.All(char.IsAsciiLetter) && letters.Contains(t, StringComparison.Ordinal));
        }

        /// <summary>
        /// Outside parties that see each other in To/Cc. Colleagues of one organisation count once, and so does a
        /// household (a mail about a pupil to both parents). Every other recipient sees each party's address.
        /// </summary>
        private void CountVisibleParties()
        {
            foreach (var v in Views)
            {
                var visible = 0;
                foreach (var x in v.Outside)
                {
                    visible += x.Visible ? 1 : 0;
                }

                v.VisibleParties = visible;
                if (visible < 2)
                {
                    continue;
                }

                var household = HasFamily(v);
                string Party(Recipient x) =>
                    household && SharesFamilyName(x, v) ? "h" : IsColleague(v, x) ? "o:" + x.Organisation : IsOwnParty(v, x) ? "s" : "e:" + x.Email;
                // Each recipient's party once: the pairs below are many, the recipients few.
                var partyOf = new Dictionary<Recipient, string>(v.Outside.Length);
                foreach (var x in v.Outside)
                {
                    partyOf[x] = Party(x);
                }

                var shownParties = v.Outside.Where(x => x.Visible).ToList();
                var parties = v.VisibleParties = shownParties.Select(x => partyOf[x]).Distinct().Count();
                if (parties < 2)
                {
                    continue;
                }

                foreach (var shown in shownParties)
                {
                    var person = _byAddress[shown.Email];
                    foreach (var x in v.Outside.Where(x => partyOf[x] != partyOf[shown]))
                    {
                        var reach = ReachOf(v, x, person, PartyRole.Self);
                        reach.Categories.Add(DataCategory.Email);
                        if (reach.Entitlement is Entitlement.AssumedSelf && !IsConfirmed(x, person))
                        {
                            reach.Deny(ExposureCause.VisibleAddress, $"{parties} outside parties in To/Cc see each other's addresses");
                        }
                    }
                }
            }
        }

        /// <summary>
        /// A relationship (a billing contact, a ship-to) holds within a family or one organisation: a related person whom the
        /// batch writes to, by the same full name, at another company's domain is that company's contact, not this
        /// recipient's. Returns that other address, or null.
        /// </summary>
        private string? OfAnotherOrganisation(Recipient x, Person related)
        {
            if (x.Organisation is null || related.Name is not { IsFull: true } name)
            {
                return null;
            }

            if (_organisationRecipientsByName is null)
            {
                _organisationRecipientsByName = new Dictionary<string, List<Recipient>>(StringComparer.Ordinal);
                foreach (var y in Views.SelectMany(v => v.Outside))
                {
                    if (y.Organisation is not null && y.Name is { IsFull: true } yName)
                    {
                        (_organisationRecipientsByName.TryGetValue(yName.Key, out var list) ? list : _organisationRecipientsByName[yName.Key] = []).Add(y);
                    }
                }
            }

            // A namesake at the recipient's own organisation (the billing contact herself) settles it the other way.
            if (!_organisationRecipientsByName.TryGetValue(name.Key, out var named) || named.Exists(y => y.Organisation == x.Organisation))
            {
                return null;
            }

            return named.Find(y => NameValue.Compare(y.Name!, name) == NameMatch.Same)?.Email;
        }

        private Dictionary<string, List<Recipient>>? _organisationRecipientsByName;

        /// <summary>
        /// A recipient who is the mail's own party under their full name: the subject at a second address (their work copy),
        /// or someone the data names beside the addressee of the same family (co-owners of one flat in To together).
        /// </summary>
        private bool IsOwnParty(View v, Recipient x)
        {
            if (x.Name is not { IsFull: true } name)
            {
                return false;
            }

            if (v.Anchor is { } anchor && People[anchor.Person].Name is { IsFull: true } subject && NameValue.Compare(subject, name) == NameMatch.Same)
            {
                return true;
            }

            if (v.Addressee?.Name?.TellingFamily is not { } family || name.Family != family)
            {
                return false;
            }

            foreach (var field in v.Fields)
            {
                if (field.Norm.Contains(name.Key, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Every person a mail lists carries the family name of the mail's subject (a booker's spouse and children as
        /// passengers): the list is the addressee's household, not a roster of customers.
        /// </summary>
        private bool IsFamilyList(View v)
        {
            var subject = v.Anchor is { } anchor && People[anchor.Person].Name is { } anchorName ? anchorName : v.Addressee?.Name;
            if (subject?.TellingFamily is not { } family)
            {
                return false;
            }

            var listed = 0;
            foreach (var r in v.Records)
            {
                if (r.Listed && r.IsPerson)
                {
                    if (r.Name?.Family != family)
                    {
                        return false;
                    }

                    listed++;
                }
            }

            return listed > 0;
        }

        /// <summary>A colleague of the addressee: the same organisation's domain, on a mail to the organisation or to a role mailbox.</summary>
        private static bool IsColleague(View v, Recipient x) =>
            v.Addressee?.Organisation is { } org && x.Organisation == org && (v.ToOrganisation || Domains.IsRoleAddress(x.Email));

        /// <summary>The mail is about a pupil or a household member: a second parent may be in copy.</summary>
        private static bool HasFamily(View v) => Array.Exists(v.Records, r => r.Role is PartyRole.Dependant or PartyRole.Household);
    }
}
