using MisSend.Core.Detection.Recognizers;

namespace MisSend.Core.Detection.Model;

/// <summary>One data subject: every record and recipient address the batch has for one natural person.</summary>
public sealed class Person(int id)
{
    public int Id { get; internal set; } = id;
    public NameValue? Name { get; internal set; }

    /// <summary>The kana reading of the name, when a record gives one.</summary>
    public NameValue? Reading { get; private set; }
    // Most people have one address, one phone, one number: the sets are made when first needed.
    private HashSet<string>? _emails, _phones, _numbers, _otherIds, _addresses;
    private static readonly HashSet<string> None = [];

    public IReadOnlySet<string> Emails => _emails ?? None;
    public IReadOnlySet<string> Phones => _phones ?? None;
    public IReadOnlySet<string> Numbers => _numbers ?? None;
    public IReadOnlySet<string> OtherIds => _otherIds ?? None;

    internal void AddEmail(string email) => (_emails ??= new(StringComparer.Ordinal)).Add(email);

    internal void AddPhone(string phone) => (_phones ??= new(StringComparer.Ordinal)).Add(phone);

    internal void AddOtherId(string id) => (_otherIds ??= new(StringComparer.Ordinal)).Add(id);

    internal void AddAddress(string email) => (_addresses ??= new(StringComparer.Ordinal)).Add(email);

    private static void Union(ref HashSet<string>? into, IEnumerable<string>? from)
    {
        if (from is null || (from is ICollection<string> { Count: 0 }) || (from is IReadOnlyCollection<string> { Count: 0 }))
        {
            return;
        }

        (into ??= new(StringComparer.Ordinal)).UnionWith(from);
    }
    public string? PolicyKey { get; private set; }
    public List<Record> Records { get; } = [];

    /// <summary>Known only from shared text (a roster row, a pasted invoice): not a recipient, not in the merge data.</summary>
    public bool Stranger { get; init; }

    /// <summary>Stable key of the subject across chunks of a job: policy key, e-mail, number, phone, then name.</summary>
    public string SubjectKey { get; private set; } = "";

    /// <summary>Recipient addresses found to be this person's (by name or address) though the data gives no address.</summary>
    public IReadOnlySet<string> Addresses => _addresses ?? None;

    public bool Owns(string email) => Emails.Contains(email) || Addresses.Contains(email);

    public string? SubjectEmail => Emails.Count > 0 ? Emails.Min(StringComparer.Ordinal) : Addresses.Count > 0 ? Addresses.Min(StringComparer.Ordinal) : null;

    public string? SubjectName => Name?.Raw.Trim();

    /// <summary>Would these two records of one cluster describe two different people? Then they are not one person.</summary>
    public bool ConflictsWith(Person other)
    {
        // Two records of one personalization are two parties (a guardian and a pupil, a buyer and a giftee), even when
        // they share a name or a family address.
        if (Personalizations.Overlaps(other.Personalizations))
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

        // Two numbers of the same kind (member_no=1, member_no=2) are two people.
        foreach (var n in Numbers)
        {
            var kind = n[..(n.IndexOf('=') + 1)];
            if (other.Numbers.Any(o => o.StartsWith(kind, StringComparison.Ordinal) && o != n) && !other.Numbers.Contains(n))
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
        PolicyKey ??= other.PolicyKey;
        Records.AddRange(other.Records);
        Personalizations.UnionWith(other.Personalizations);
    }

    private HashSet<int>? _personalizations;

    /// <summary>The personalizations whose records are this person's (a set only once there are several).</summary>
    private HashSet<int> Personalizations => _personalizations ??= [.. Records.Select(r => r.Personalization)];

    internal void AddRecord(Record r)
    {
        Records.Add(r);
        _personalizations?.Add(r.Personalization);
        if (r.Name is not null && (Name is null || (!Name.IsFull && r.Name.IsFull)))
        {
            Name = r.Name;
        }

        Reading ??= r.Reading;
        Union(ref _emails, r.Emails);
        Union(ref _phones, r.Phones);
        Union(ref _numbers, r.Numbers);
        Union(ref _otherIds, r.OtherIds);
        PolicyKey ??= r.PolicyKey;
    }

    internal void AssignKey()
    {
        SubjectKey = PolicyKey is not null ? "k:" + PolicyKey
            : Emails.Count > 0 ? "e:" + Emails.Min(StringComparer.Ordinal)
            : Numbers.Count > 0 ? "m:" + Numbers.Min(StringComparer.Ordinal)![(Numbers.Min(StringComparer.Ordinal)!.IndexOf('=') + 1)..]
            : Phones.Count > 0 ? "t:" + Phones.Min(StringComparer.Ordinal)
            : Name is not null ? "n:" + Name.Key
            : OtherIds.Count > 0 ? "x:" + Hash(OtherIds.Min(StringComparer.Ordinal)!)
            : Addresses.Count > 0 ? "e:" + Addresses.Min(StringComparer.Ordinal)
            : "p:" + Id;
    }

    internal static string Hash(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..16];
}
