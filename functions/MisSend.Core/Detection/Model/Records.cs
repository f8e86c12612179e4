using MisSend.Core.Batches;
using MisSend.Core.Detection.Recognizers;

namespace MisSend.Core.Detection.Model;

/// <summary>One merge value as a recipient would see it (a value: a batch has one per key and personalization).</summary>
/// <param name="Constant">Every personalization of the batch has this key with this value.</param>
/// <param name="Identity">The value that identifies its owner, folded for comparison (an address, digits, a name's key), or null.</param>
/// <param name="Name">The value as a person's name, when the field holds one.</param>
public readonly record struct MergeField(KeyInfo Key, string Raw, string Norm, DataCategory Category, bool Constant, string? Identity, NameValue? Name = null);

/// <summary>
/// The fields of one personalization that describe one party: the mail's own subject (<see cref="PartyRole.Self"/>),
/// a pupil, a gift's recipient, one row of an order list.
/// </summary>
/// <param name="size">How many identifying fields the record will have.</param>
public sealed class Record(int personalization, string path, PartyRole role, bool listed, int size = 4)
{
    public int Personalization { get; } = personalization;
    public string Path { get; } = path;
    public PartyRole Role { get; } = role;
    public bool Listed { get; } = listed;
    /// <summary>The record's fields that identify someone (<see cref="MergeField.Identity"/>), in order.</summary>
    public List<MergeField> IdentifyingFields { get; } = new(size);

    public NameValue? Name { get; private set; }

    /// <summary>The name's kana reading (フリガナ), when the record gives one besides a kanji name.</summary>
    public NameValue? Reading { get; private set; }
    private IdSet _emails = IdSet.Empty, _phones = IdSet.Empty, _numbers = IdSet.Empty, _otherIds = IdSet.Empty, _traits = IdSet.Empty;

    public IdSet Emails => _emails;
    public IdSet Phones => _phones;

    /// <summary>Member, customer, account or order numbers, as "key=value" so that two kinds of number never collide.</summary>
    public IdSet Numbers => _numbers;

    /// <summary>Addresses, card numbers, IBANs, dates of birth: identify a person but never decide who it is.</summary>
    public IdSet OtherIds => _otherIds;

    /// <summary>"address=…", "birth=…": what one person has one of. Two records that differ in one are two people (namesakes).</summary>
    public IdSet Traits => _traits;

    public string? PolicyKey { get; private set; }

    /// <summary>The record the mail is about (see <see cref="View.Anchor"/>).</summary>
    public bool IsAnchor { get; internal set; }

    /// <summary>Set once clustered: the person this record describes.</summary>
    public int Person { get; internal set; } = -1;

    /// <summary>The record identifies a natural person (not an organisation, a product, the sender's staff or a public figure).</summary>
    public bool IsPerson =>
        Role is not (PartyRole.Organisation or PartyRole.Staff or PartyRole.Public)
        && (Name is not null || Emails.Count > 0 || Phones.Count > 0 || Numbers.Count > 0 || OtherIds.Count > 0 || PolicyKey is not null || _sensitive);

    private bool _sensitive;

    private CategorySet _categories;

    public ref CategorySet Categories => ref _categories;

    /// <summary>Adds a field, and its identity to the record's identifiers. "sei" and "mei" in two fields make one name.</summary>
    internal void Add(MergeField field, SenderFacts sender)
    {
        Categories.Add(field.Category);
        _sensitive |= field.Category == DataCategory.Health || field.Key.PolicyPersonal;
        if (field.Identity is not { } id)
        {
            return;
        }

        IdentifyingFields.Add(field);

        switch (field.Category)
        {
            case DataCategory.Name:
                if (field.Name is not { } parsed)
                {
                    break;
                }

                if (parsed.Script == NameScript.Kana && (Reading is null || (!Reading.IsFull && parsed.Tokens.Count >= 2)))
                {
                    Reading = parsed;
                }

                Name = Name is null ? parsed
                    : !Name.IsFull && !parsed.IsFull ? NameValue.Parse(Name.Raw + " " + parsed.Raw) ?? Name
                    : parsed.IsFull && (!Name.IsFull || (Name.Script == NameScript.Kana && parsed.Script != NameScript.Kana)) ? parsed
                    : Name;
                break;
            case DataCategory.Email when !sender.IsSenderAddress(id) && !Domains.IsRoleAddress(id):
                AddTo(ref _emails, id);
                break;
            case DataCategory.Phone:
                AddTo(ref _phones, id);
                break;
            case DataCategory.MemberId:
                AddTo(ref _numbers, field.Key.NumberPrefix + id);
                break;
            case DataCategory.Address or DataCategory.BirthDate:
                AddTo(ref _otherIds, id);
                AddTo(ref _traits, (field.Category == DataCategory.Address ? "address=" : "birth=") + id);
                break;
            case DataCategory.CardNumber or DataCategory.BankAccount:
                AddTo(ref _otherIds, id);
                break;
        }

        if (field.Key.PolicySubjectKey)
        {
            PolicyKey = id;
        }
    }

    private static void AddTo(ref IdSet set, string id) => (set == IdSet.Empty ? set = new IdSet() : set).Add(id);
}
