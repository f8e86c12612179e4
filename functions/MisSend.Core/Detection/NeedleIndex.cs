namespace MisSend.Core.Detection;

/// <summary>
/// Multi-pattern search over normalized text: every identifying value of the batch is a needle, and one pass over a
/// text finds all of them. Needles are bucketed by their first three characters (every needle has at least three), so
/// each position of the text costs one hash lookup; only a bucket's few needles are compared in full. Building the
/// index is one dictionary insert per needle, which matters because a batch has thousands of needles and few texts.
/// </summary>
internal sealed class NeedleIndex<T>
{
    public const int MinLength = 3;

    private readonly Dictionary<ulong, KeyValuePair<string, T>[]> _byPrefix;

    public NeedleIndex(Dictionary<string, T> needles)
    {
        var buckets = new Dictionary<ulong, List<KeyValuePair<string, T>>>();
        foreach (var needle in needles)
        {
            if (needle.Key.Length < MinLength)
            {
                throw new ArgumentException($"needles must have at least {MinLength} characters", nameof(needles));
            }

            var prefix = Prefix(needle.Key);
            if (!buckets.TryGetValue(prefix, out var bucket))
            {
                buckets[prefix] = bucket = [];
            }

            bucket.Add(needle);
        }

        // Longest first, so that at one position the longer needle is reported before its prefixes.
        _byPrefix = buckets.ToDictionary(b => b.Key, b => b.Value.OrderByDescending(n => n.Key.Length).ToArray());
        Count = needles.Count;
    }

    public int Count { get; }

    /// <summary>Calls <paramref name="onMatch"/> once per needle occurrence (overlaps included).</summary>
    public void FindAll(ReadOnlySpan<char> text, Action<string, T> onMatch) => FindAll(text, (_, key, value) => onMatch(key, value));

    /// <summary>
    /// Calls <paramref name="onMatch"/> with the position of each needle occurrence (overlaps included), in order of
    /// position and, at one position, longest needle first.
    /// </summary>
    public void FindAll(ReadOnlySpan<char> text, Action<int, string, T> onMatch)
    {
        if (_byPrefix.Count == 0)
        {
            return;
        }

        for (var at = 0; at + MinLength <= text.Length; at++)
        {
            if (!_byPrefix.TryGetValue(Prefix(text[at..]), out var bucket))
            {
                continue;
            }

            var rest = text[at..];
            foreach (var (key, value) in bucket)
            {
                if (rest.StartsWith(key, StringComparison.Ordinal))
                {
                    onMatch(at, key, value);
                }
            }
        }
    }

    private static ulong Prefix(ReadOnlySpan<char> s) => ((ulong)s[0] << 32) | ((ulong)s[1] << 16) | s[2];
}
