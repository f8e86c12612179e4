namespace MisSend.Core.Detection.Model;

/// <summary>
/// A person's or record's identifiers of one kind (e-mail addresses, phones, numbers), in the order they were added. Nearly
/// always one: it is held inline, more in a list compared in place, and an index only once there are many (one customer
/// copied into a thousand personalizations with a thousand phone numbers stays linear).
/// </summary>
public sealed class IdSet : IReadOnlySet<string>
{
    /// <summary>No identifiers (shared: never added to).</summary>
    public static readonly IdSet Empty = new();

    private const int IndexedFrom = 8;
    private string? _first;
    private List<string>? _more;
    private HashSet<string>? _index;

    public IdSet()
    {
    }

    public IdSet(IdSet copy)
    {
        _first = copy._first;
        _more = copy._more is null ? null : new(copy._more);
        _index = copy._index is null ? null : new(copy._index, StringComparer.Ordinal);
    }

    public int Count => _first is null ? 0 : 1 + (_more?.Count ?? 0);

    /// <summary>The smallest identifier in ordinal order (a stable choice among several), or null.</summary>
    public string? Min
    {
        get
        {
            var min = _first;
            if (_more is not null)
            {
                foreach (var id in _more)
                {
                    min = string.CompareOrdinal(id, min) < 0 ? id : min;
                }
            }

            return min;
        }
    }

    public bool Add(string id)
    {
        if (ReferenceEquals(this, Empty))
        {
            throw new InvalidOperationException("IdSet.Empty is shared");
        }

        if (_first is null)
        {
            _first = id;
            return true;
        }

        if (Contains(id))
        {
            return false;
        }

        (_more ??= new(1)).Add(id);
        if (_index is not null)
        {
            _index.Add(id);
        }
        else if (Count >= IndexedFrom)
        {
            _index = new HashSet<string>(this, StringComparer.Ordinal);
        }

        return true;
    }

    public void UnionWith(IdSet other)
    {
        foreach (var id in other)
        {
            Add(id);
        }
    }

    public bool Contains(string id)
    {
        if (_index is not null)
        {
            return _index.Contains(id);
        }

        return _first == id || (_more is not null && _more.Contains(id));
    }

    public bool Overlaps(IEnumerable<string> other)
    {
        foreach (var id in other)
        {
            if (Contains(id))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsSubsetOf(IEnumerable<string> other) => this.All(new HashSet<string>(other, StringComparer.Ordinal).Contains);

    public bool IsSupersetOf(IEnumerable<string> other) => other.All(Contains);

    public bool IsProperSubsetOf(IEnumerable<string> other) => IsSubsetOf(other) && new HashSet<string>(other, StringComparer.Ordinal).Count > Count;

    public bool IsProperSupersetOf(IEnumerable<string> other) => IsSupersetOf(other) && new HashSet<string>(other, StringComparer.Ordinal).Count < Count;

    public bool SetEquals(IEnumerable<string> other) => IsSupersetOf(other) && IsSubsetOf(other);

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The identifiers in the order they were added.</summary>
    public struct Enumerator(IdSet set) : IEnumerator<string>
    {
        private int _at = -1;

        public readonly string Current => _at == 0 ? set._first! : set._more![_at - 1];

        readonly object System.Collections.IEnumerator.Current => Current;

        public bool MoveNext() => ++_at < set.Count;

        public void Reset() => _at = -1;

        public readonly void Dispose()
        {
        }
    }
}
