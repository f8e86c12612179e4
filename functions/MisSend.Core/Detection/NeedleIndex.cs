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

    public NeedleIndex(IEnumerable<KeyValuePair<string, T>> needles)
    {
        var buckets = new Dictionary<ulong, List<KeyValuePair<string, T>>>();
        var count = 0;
        foreach (var needle in needles)
        {
            if (needle.Key.Length < MinLength)
            {
                throw new ArgumentException($"needles must have at least {MinLength} characters", nameof(needles));
            }

            var prefix = Prefix(needle.Key);
            if (!buckets.TryGetValue(prefix, out var bucket))
            {
                buckets[prefix] = bucket = new List<KeyValuePair<string, T>>(1);
            }

            bucket.Add(needle);
            count++;
        }

        // Longest first, so that at one position the longer needle is reported before its prefixes.
        _byPrefix = new Dictionary<ulong, KeyValuePair<string, T>[]>(buckets.Count);
        foreach (var (prefix, bucket) in buckets)
        {
            if (bucket.Count > 1)
            {
                bucket.Sort((a, b) => b.Key.Length.CompareTo(a.Key.Length));
            }

            _byPrefix[prefix] = bucket.ToArray();
        }

        Count = count;
    }

    public int Count { get; }

    /// <summary>Could any needle occur in <paramref name="text"/>? One pass without callbacks: most texts name nobody.</summary>
    public bool MayMatch(ReadOnlySpan<char> text)
    {
        if (_byPrefix.Count == 0)
        {
            return false;
        }

        for (var at = 0; at + MinLength <= text.Length; at++)
        {
            if (_byPrefix.ContainsKey(Prefix(text[at..])))
            {
                return true;
            }
        }

        return false;
    }

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
