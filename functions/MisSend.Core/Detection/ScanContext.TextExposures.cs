using MisSend.Core.Detection.Model;

namespace MisSend.Core.Detection;

public sealed partial class ScanContext
{
    private readonly IReadOnlyDictionary<(int View, string Email, int Person), Reach> _allReaches;
    private readonly int[] _cellOffsets;
    private readonly IReadOnlyDictionary<Person, List<TextExposure.Entry>> _textsOf;

    /// <summary>What one shared text exposes: whose data, which categories, to how many recipients.</summary>
    public sealed record SharedTextExposure(string Evidence, IReadOnlyList<Person> People, CategorySet Categories, int Recipients);

    /// <summary>
    /// The exposures through shared texts (the body, an attachment, the shared subject line), one per text and kind of
    /// content, in the order their first ledger rows come: the cells of <see cref="TextExposures"/> and the single
    /// reaches a text denied, together.
    /// </summary>
    public IReadOnlyList<SharedTextExposure> SharedTextExposures { get; }

    /// <summary>Every row of the exposure model in ledger order: the single reaches and the cells of the text exposures.</summary>
    internal IEnumerable<Reach> ReachesWithCells()
    {
        var next = 0;
        var byOrder = Comparer<Reach>.Create((a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (var v in Views)
        {
            // Cells of batch people stand where the text put them among the single reaches; people only a text names come last.
            var rows = new List<Reach>();
            var strangers = new List<Reach>();
            for (; next < Reaches.Count && Reaches[next].View == v; next++)
            {
                rows.Add(Reaches[next]);
            }

            foreach (var (cell, stranger) in CellsIn(v))
            {
                (stranger ? strangers : rows).Add(cell);
            }

            rows.Sort(byOrder);
            foreach (var r in rows.Concat(strangers))
            {
                yield return r;
            }
        }
    }

    /// <summary>The cells of <paramref name="v"/> as reaches, each with whether its person is known only from the text.</summary>
    private IEnumerable<(Reach Cell, bool Stranger)> CellsIn(View v)
    {
        foreach (var text in TextExposures)
        {
            foreach (var entry in text.People)
            {
                if (!entry.HasCellsIn(v))
                {
                    continue;
                }

                var categories = CategoriesShown(entry.Person, subjectless: v.Source.Subject is null);
                for (var at = 0; at < v.Outside.Length; at++)
                {
                    var x = v.Outside[at];
                    if (!_allReaches.ContainsKey((v.Index, x.Email, entry.Person.Id)))
                    {
                        var cell = new Reach(v, x, entry.Person, Batches.PartyRole.Self) { Sequence = entry.FirstCell + _cellOffsets[v.Index] + at };
                        cell.Categories.UnionWith(categories);
                        cell.Deny(ExposureCause.SharedText, text.Evidence);
                        yield return (cell, entry.Person.Stranger);
                    }
                }
            }
        }
    }

    /// <summary>What the texts that reach a personalization (with or without its own subject line) show of a person.</summary>
    private CategorySet CategoriesShown(Person p, bool subjectless)
    {
        var shown = new CategorySet();
        foreach (var e in _textsOf[p])
        {
            if (subjectless || !e.Text.SubjectLine)
            {
                shown.UnionWith(e.Categories);
            }
        }

        return shown;
    }

    private List<SharedTextExposure> GroupSharedTexts()
    {
        var texts = new Dictionary<string, TextGroup>(StringComparer.Ordinal);
        TextGroup Group(string evidence, (int View, int Kind, long At) first)
        {
            if (!texts.TryGetValue(evidence, out var group))
            {
                texts[evidence] = group = new TextGroup(evidence, first);
            }

            group.First = first.CompareTo(group.First) < 0 ? first : group.First;
            return group;
        }

        // Cells a later pass looked at again (a visible address, a sender field) are single reaches now.
        foreach (var r in Reaches)
        {
            if (r.Cause == ExposureCause.SharedText)
            {
                var group = Group(r.Evidence!, (r.View.Index, 0, r.Sequence));
                group.Add(r.Person, r.Categories);
                group.Recipients.Add(r.Recipient.Email);
            }
        }

        if (TextExposures.Count == 0)
        {
            return [.. texts.Values.OrderBy(g => g.First).Select(g => g.Exposure())];
        }

        // How many cells each kind of personalization has, and how many of them a person's single reaches take.
        var subjectlessCells = Views.Where(v => v.Source.Subject is null).Sum(v => v.Outside.Length);
        var otherCells = Views.Where(v => v.Source.Subject is not null).Sum(v => v.Outside.Length);

        var taken = new Dictionary<Person, (int Subjectless, int Others)>();
        foreach (var r in Reaches)
        {
            if (_textsOf.ContainsKey(r.Person))
            {
                var (s, o) = taken.GetValueOrDefault(r.Person);
                taken[r.Person] = r.View.Source.Subject is null ? (s + 1, o) : (s, o + 1);
            }
        }

        foreach (var text in TextExposures)
        {
            TextGroup? group = null;
            foreach (var entry in text.People)
            {
                var (s, o) = taken.GetValueOrDefault(entry.Person);
                var subjectless = entry.Subjectless && subjectlessCells > s;
                var others = entry.Others && otherCells > o;
                if (!subjectless && !others)
                {
                    continue;
                }

                var shown = new CategorySet();
                shown.UnionWith(subjectless ? CategoriesShown(entry.Person, subjectless: true) : default);
                shown.UnionWith(others ? CategoriesShown(entry.Person, subjectless: false) : default);
                group = Group(text.Evidence, FirstCell(entry));
                group.Add(entry.Person, shown);
            }

            if (group is null)
            {
                continue;
            }

            // Recipients that get at least one cell of the text (nearly always the first entry gives one).
            foreach (var v in Views)
            {
                foreach (var x in v.Outside)
                {
                    if (!group.Recipients.Contains(x.Email) && text.People.Exists(e => e.HasCellsIn(v) && !_allReaches.ContainsKey((v.Index, x.Email, e.Person.Id))))
                    {
                        group.Recipients.Add(x.Email);
                    }
                }
            }
        }

        return [.. texts.Values.OrderBy(g => g.First).Select(g => g.Exposure())];
    }

    /// <summary>Where the first cell of an entry stands in the ledger (personalization, people only a text names last, sequence).</summary>
    private (int View, int Kind, long At) FirstCell(TextExposure.Entry entry)
    {
        foreach (var v in Views)
        {
            if (!entry.HasCellsIn(v))
            {
                continue;
            }

            for (var at = 0; at < v.Outside.Length; at++)
            {
                if (!_allReaches.ContainsKey((v.Index, v.Outside[at].Email, entry.Person.Id)))
                {
                    return (v.Index, entry.Person.Stranger ? 1 : 0, entry.FirstCell + _cellOffsets[v.Index] + at);
                }
            }
        }

        throw new InvalidOperationException("an entry counted with cells has none");
    }

    private sealed class TextGroup(string evidence, (int, int, long) first)
    {
        private readonly HashSet<Person> _seen = [];
        private readonly List<Person> _people = [];
        private CategorySet _categories;

        public (int View, int Kind, long At) First { get; set; } = first;

        public HashSet<string> Recipients { get; } = new(StringComparer.Ordinal);

        public void Add(Person person, CategorySet categories)
        {
            if (_seen.Add(person))
            {
                _people.Add(person);
            }

            _categories.UnionWith(categories);
        }

        public SharedTextExposure Exposure() => new(evidence, _people, _categories, Recipients.Count);
    }
}
