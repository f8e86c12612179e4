using System.Buffers;

namespace MisSend.Core.Detection;

/// <summary>
/// Multi-pattern search over normalized text: every identifying value of the batch is a needle, and one pass
/// over a text finds all of them (SearchValues locates candidates, a span-keyed dictionary names them).
/// </summary>
internal sealed class NeedleIndex<T>
{
    private readonly Dictionary<string, T> _byValue;
    private readonly Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int[] _lengths;
    private readonly SearchValues<string>? _search;

    public NeedleIndex(Dictionary<string, T> needles)
    {
        _byValue = needles;
        _lookup = needles.GetAlternateLookup<ReadOnlySpan<char>>();
        _lengths = needles.Keys.Select(k => k.Length).Distinct().OrderDescending().ToArray();
        _search = needles.Count == 0 ? null : SearchValues.Create(needles.Keys.ToArray(), StringComparison.Ordinal);
    }

    public int Count => _byValue.Count;

    /// <summary>Calls <paramref name="onMatch"/> once per needle occurrence (overlaps included).</summary>
    public void FindAll(ReadOnlySpan<char> text, Action<string, T> onMatch) => FindAll(text, (_, key, value) => onMatch(key, value));

    /// <summary>
    /// Calls <paramref name="onMatch"/> with the position of each needle occurrence (overlaps included), in order of
    /// position and, at one position, longest needle first.
    /// </summary>
    public void FindAll(ReadOnlySpan<char> text, Action<int, string, T> onMatch)
    {
        if (_search is null)
        {
            return;
        }

        var offset = 0;
        while (offset < text.Length)
        {
            var rest = text[offset..];
            var hit = rest.IndexOfAny(_search);
            if (hit < 0)
            {
                return;
            }

            var at = rest[hit..];
            foreach (var length in _lengths)
            {
                if (length <= at.Length && _lookup.TryGetValue(at[..length], out var key, out var value))
                {
                    onMatch(offset + hit, key, value);
                }
            }

            offset += hit + 1;
        }
    }
}
