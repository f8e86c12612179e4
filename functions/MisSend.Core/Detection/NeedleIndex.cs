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

    /// <summary>Needles by prefix: nearly every prefix has one (held inline); a few have several (a list, longest first).</summary>
    private readonly Dictionary<ulong, (KeyValuePair<string, T> One, List<KeyValuePair<string, T>>? Several)> _byPrefix = [];

    public NeedleIndex(IEnumerable<KeyValuePair<string, T>> needles)
    {
        foreach (var needle in needles)
        {
            if (needle.Key.Length < MinLength)
            {
                throw new ArgumentException($"needles must have at least {MinLength} characters", nameof(needles));
            }

            ref var bucket = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_byPrefix, Prefix(needle.Key), out var exists);
            if (!exists)
            {
                bucket.One = needle;
            }
            else
            {
                (bucket.Several ??= [bucket.One]).Add(needle);
            }

            Count++;
        }

        // Longest first, so that at one position the longer needle is reported before its prefixes.
        foreach (var (_, several) in _byPrefix.Values)
        {
            several?.Sort((a, b) => b.Key.Length.CompareTo(a.Key.Length));
        }
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

    /// <summary>
    /// Every needle occurrence (overlaps included), in order of position and, at one position, longest needle first:
    /// <c>foreach (var (at, key, value) in index.Matches(text))</c>.
    /// </summary>
    public Matcher Matches(ReadOnlySpan<char> text) => new(this, text);

    private static ulong Prefix(ReadOnlySpan<char> s) => ((ulong)s[0] << 32) | ((ulong)s[1] << 16) | s[2];

    public ref struct Matcher(NeedleIndex<T> index, ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _at = -1;
        private (KeyValuePair<string, T> One, List<KeyValuePair<string, T>>? Several) _bucket;
        private int _next;
        private int _size;

        public readonly Matcher GetEnumerator() => this;

        public (int At, string Key, T Value) Current { get; private set; }

        public bool MoveNext()
        {
            while (true)
            {
                for (; _next < _size; _next++)
                {
                    var (key, value) = _bucket.Several is { } several ? several[_next] : _bucket.One;
                    if (_text[_at..].StartsWith(key, StringComparison.Ordinal))
                    {
                        Current = (_at, key, value);
                        _next++;
                        return true;
                    }
                }

                if (index._byPrefix.Count == 0 || ++_at + MinLength > _text.Length)
                {
                    return false;
                }

                _size = index._byPrefix.TryGetValue(Prefix(_text[_at..]), out _bucket) ? _bucket.Several?.Count ?? 1 : 0;
                _next = 0;
            }
        }
    }
}
