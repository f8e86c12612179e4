using MisSend.Core.Batches;
using MisSend.Core.Detection.Model;
using MisSend.Core.Detection.Recognizers;
using MisSend.Core.Text;

namespace MisSend.Core.Detection;

/// <summary>
/// Everything the rules read, built once per batch: who each personalization reaches, whose data it carries, and for
/// every (recipient, data subject) pair whether the recipient may see it. Rules only read it.
/// </summary>
public sealed partial class ScanContext
{
    public MailBody Mail { get; }
    public BatchPolicy Policy { get; }
    public SenderFacts Sender { get; }
    public IReadOnlyList<View> Views { get; }
    public IReadOnlyList<Person> People { get; }

    /// <summary>
    /// Who sees whose data: one row per (personalization, recipient, person), in batch order. People only a shared text
    /// names are in <see cref="TextExposures"/> instead.
    /// </summary>
    public IReadOnlyList<Reach> Reaches { get; }

    /// <summary>People only a shared text names (a pasted roster), exposed to every recipient of the text.</summary>
    public IReadOnlyList<TextExposure> TextExposures { get; }

    /// <summary>Distinct recipient addresses of the batch.</summary>
    public int RecipientCount { get; }

    /// <summary>The texts every recipient sees (shared subject, content, attachments), with where each comes from.</summary>
    internal IReadOnlyList<SharedText> SharedTexts { get; }

    private ScanContext(Builder b)
    {
        Mail = b.Mail;
        Policy = b.Policy;
        Sender = b.Sender;
        Views = b.Views;
        People = b.People;
        Reaches = b.Reaches;
        TextExposures = b.TextExposures;
        RecipientCount = b.RecipientAddresses.Count;
        SharedTexts = b.SharedTexts;
        _allReaches = b.ReachIndex;
        _cellOffsets = b.CellOffsets;
        _textsOf = b.TextsOf;
        SharedTextExposures = GroupSharedTexts();
        HasExposures = SharedTextExposures.Count > 0 || b.Reaches.Any(r => r.Exposed);
        _needles = b.Needles;
    }

    /// <summary>Anyone would see data they are not entitled to: rules that only report exposures can stop here when not.</summary>
    public bool HasExposures { get; }

    private readonly NeedleIndex<Needle> _needles;

    /// <summary>Where values of the batch's people (names, addresses, numbers) occur in <paramref name="normalized"/> text.</summary>
    internal List<(int At, int Length)> FindPersonValues(string normalized)
    {
        var found = new List<(int, int)>();
        foreach (var (at, key, _) in _needles.Matches(normalized))
        {
            found.Add((at, key.Length));
        }

        return found;
    }

    public static ScanContext Build(MailBody mail, BatchPolicy policy) => new(new Builder(mail, policy).Run());

    /// <summary>A person in masked words for a finding: "佐***", "t***@example.jp".</summary>
    public static string Describe(Person p) =>
        p.Name is not null ? Mask.Value(p.Name.Raw) : p.SubjectEmail is { } e ? Mask.Email(e) : "another person";

    internal sealed record SharedText(string Where, string Text, bool SubjectLine);
}
