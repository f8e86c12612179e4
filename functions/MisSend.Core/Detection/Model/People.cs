using MisSend.Core.Detection.Recognizers;

namespace MisSend.Core.Detection.Model;

/// <summary>One data subject: every record and recipient address the batch has for one natural person.</summary>
public sealed class Person(int id)
{
    public int Id { get; internal set; } = id;
    public NameValue? Name { get; internal set; }

    /// <summary>The kana reading of the name, when a record gives one.</summary>
    public NameValue? Reading { get; private set; }
    // Most people are one record: they share its identifier sets, and copy them only when a second record joins.
    private IdSet _emails = IdSet.Empty, _phones = IdSet.Empty, _numbers = IdSet.Empty, _otherIds = IdSet.Empty, _traits = IdSet.Empty, _addresses = IdSet.Empty;
    private bool _borrowed;

    public IdSet Emails => _emails;
    public IdSet Phones => _phones;
    public IdSet Numbers => _numbers;
    public IdSet OtherIds => _otherIds;

    /// <summary>"address=…", "birth-date=…": what one person has only one of, by kind (see <see cref="Record.Traits"/>).</summary>
    public IdSet Traits => _traits;

    internal void AddEmail(string email) => Mine(ref _emails).Add(email);

    internal void AddPhone(string phone) => Mine(ref _phones).Add(phone);

    internal void AddOtherId(string id) => Mine(ref _otherIds).Add(id);

    internal void AddAddress(string email) => (_addresses == IdSet.Empty ? _addresses = new IdSet() : _addresses).Add(email);

    private void Union(ref IdSet into, IdSet from)
    {
        if (from.Count > 0)
        {
            Mine(ref into).UnionWith(from);
        }
    }

    /// <summary><paramref name="set"/> (one of this person's fields), made this person's own before it changes.</summary>
    private IdSet Mine(ref IdSet set)
    {
        if (_borrowed)
        {
            _borrowed = false;
            _emails = Copy(_emails);
            _phones = Copy(_phones);
            _numbers = Copy(_numbers);
            _otherIds = Copy(_otherIds);
            _traits = Copy(_traits);
        }

        if (set == IdSet.Empty)
        {
            set = new IdSet();
        }

        return set;

        static IdSet Copy(IdSet s) => s.Count == 0 ? IdSet.Empty : new IdSet(s);
    }

    public string? PolicyKey { get; private set; }
    public List<Record> Records { get; } = new(1);

    /// <summary>Known only from shared text (a roster row, a pasted invoice): not a recipient, not in the merge data.</summary>
    public bool Stranger { get; init; }

    /// <summary>Stable key of the subject across chunks of a job: policy key, e-mail, number, phone, then name (read once the scan is built).</summary>
    public string SubjectKey => _subjectKey ??= Key();

    private string? _subjectKey;

    /// <summary>Recipient addresses found to be this person's (by name or address) though the data gives no address.</summary>
    public IdSet Addresses => _addresses;

    public bool Owns(string email) => Emails.Contains(email) || Addresses.Contains(email);

    public string? SubjectEmail => Emails.Min ?? Addresses.Min;

    public string? SubjectName => Name?.Raw.Trim();

    /// <summary>Would these two records of one cluster describe two different people? Then they are not one person.</summary>
    public bool ConflictsWith(Person other)
    {
        // Two records of one personalization are two parties (a guardian and a pupil, a buyer and a giftee), even when
        // they share a name or a family address.
        if (SharesPersonalization(other))
        {
            return true;
        }

        if (Name is not null && other.Name is not null && NameValue.Compare(Name, other.Name) == NameMatch.Different)
        {
            return true;
        }

        if (PolicyKey is not null && other.PolicyKey is not null && PolicyKey != other.PolicyKey)
        {
            return true;
        }

        if (Emails.Count > 0 && other.Emails.Count > 0 && !Emails.Overlaps(other.Emails))
        {
            return true;
        }

        // Two numbers of the same kind (member_no=1, member_no=2) are two people; so are two home addresses or birth
        // dates: namesakes (two 中野 美穂 at two addresses) are not one person because their names match.
        return HoldsOtherOfSameKind(Numbers, other.Numbers) || HoldsOtherOfSameKind(Traits, other.Traits);
    }

    /// <summary>Does <paramref name="mine"/> hold a "kind=value" that <paramref name="theirs"/> contradicts with another value of that kind?</summary>
    private static bool HoldsOtherOfSameKind(IdSet mine, IdSet theirs)
    {
        foreach (var n in mine)
        {
            var kind = n.AsSpan(0, n.IndexOf('=') + 1);
            foreach (var o in theirs)
            {
                if (o.StartsWith(kind, StringComparison.Ordinal) && o != n && !theirs.Contains(n))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool SharesPersonalization(Person other)
    {
        var (few, many) = Records.Count <= other.Records.Count ? (this, other) : (other, this);
        foreach (var r in few.Records)
        {
            if (many.InPersonalization(r.Personalization))
            {
                return true;
            }
        }

        return false;
    }

    private bool InPersonalization(int index)
    {
        if (Records.Count > 4)
        {
            return Personalizations.Contains(index);
        }

        foreach (var r in Records)
        {
            if (r.Personalization == index)
            {
                return true;
            }
        }

        return false;
    }

    internal void Absorb(Person other)
    {
        Name ??= other.Name;
        if (Name is not null && other.Name is not null && !Name.IsFull && other.Name.IsFull)
        {
            Name = other.Name;
        }

        Reading ??= other.Reading;
        Union(ref _emails, other._emails);
        Union(ref _phones, other._phones);
        Union(ref _numbers, other._numbers);
        Union(ref _otherIds, other._otherIds);
        Union(ref _traits, other._traits);
        PolicyKey ??= other.PolicyKey;
        Records.AddRange(other.Records);
        foreach (var r in other.Records)
        {
            _personalizations?.Add(r.Personalization);
        }
    }

    private HashSet<int>? _personalizations;

    /// <summary>The personalizations whose records are this person's (a set only once there are many).</summary>
    private HashSet<int> Personalizations => _personalizations ??= [.. Records.Select(r => r.Personalization)];

    internal void AddRecord(Record r)
    {
        if (Records.Count == 0 && _emails == IdSet.Empty && _phones == IdSet.Empty && _numbers == IdSet.Empty && _otherIds == IdSet.Empty && _traits == IdSet.Empty)
        {
            (_emails, _phones, _numbers, _otherIds, _traits, _borrowed) = (r.Emails, r.Phones, r.Numbers, r.OtherIds, r.Traits, true);
        }
        else
        {
            Union(ref _emails, r.Emails);
            Union(ref _phones, r.Phones);
            Union(ref _numbers, r.Numbers);
            Union(ref _otherIds, r.OtherIds);
            Union(ref _traits, r.Traits);
        }

        Records.Add(r);
        _personalizations?.Add(r.Personalization);
        if (r.Name is not null && (Name is null || (!Name.IsFull && r.Name.IsFull)))
        {
            Name = r.Name;
        }

        Reading ??= r.Reading;
        PolicyKey ??= r.PolicyKey;
    }

    private string Key() =>
        PolicyKey is not null ? "k:" + PolicyKey
            : Emails.Min is { } email ? "e:" + email
            : Numbers.Min is { } number ? "m:" + number[(number.IndexOf('=') + 1)..]
            : Phones.Min is { } phone ? "t:" + phone
            : Name is not null ? "n:" + Name.Key
            : OtherIds.Min is { } id ? "x:" + Hash(id)
            : Addresses.Min is { } address ? "e:" + address
            : "p:" + Id;

    internal static string Hash(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..16];
}
