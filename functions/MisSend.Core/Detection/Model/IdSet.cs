namespace MisSend.Core.Detection.Model;

/// <summary>
/// A person's or record's identifiers of one kind (e-mail addresses, phones, numbers), in the order they were added. Nearly
/// always one or two: they are compared in place, and indexed only once there are many (one customer copied into a
/// thousand personalizations with a thousand phone numbers stays linear).
/// </summary>
public sealed class IdSet : IReadOnlySet<string>
{
    /// <summary>No identifiers (shared: never added to).</summary>
    public static readonly IdSet Empty = new();

    private const int IndexedFrom = 8;
    private readonly List<string> _items;
    private HashSet<string>? _index;

    public IdSet() => _items = new(1);

    public IdSet(IdSet copy)
    {
        _items = new(copy._items);
        _index = copy._index is null ? null : new(copy._index, StringComparer.Ordinal);
    }

    public int Count => _items.Count;

    /// <summary>The smallest identifier in ordinal order (a stable choice among several), or null.</summary>
    public string? Min
    {
        get
        {
            string? min = null;
            foreach (var id in _items)
            {
                min = min is null || string.CompareOrdinal(id, min) < 0 ? id : min;
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

        if (Contains(id))
        {
            return false;
        }

        _items.Add(id);
        if (_index is not null)
        {
            _index.Add(id);
        }
        else if (_items.Count >= IndexedFrom)
        {
            _index = new HashSet<string>(_items, StringComparer.Ordinal);
        }

        return true;
    }

    public void UnionWith(IdSet other)
    {
        foreach (var id in other._items)
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

        foreach (var item in _items)
        {
            if (item == id)
            {
                return true;
            }
        }

        return false;
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

    public bool IsSubsetOf(IEnumerable<string> other) => _items.All(new HashSet<string>(other, StringComparer.Ordinal).Contains);

    public bool IsSupersetOf(IEnumerable<string> other) => other.All(Contains);

    public bool IsProperSubsetOf(IEnumerable<string> other) => IsSubsetOf(other) && new HashSet<string>(other, StringComparer.Ordinal).Count > Count;

    public bool IsProperSupersetOf(IEnumerable<string> other) => IsSupersetOf(other) && new HashSet<string>(other, StringComparer.Ordinal).Count < Count;

    public bool SetEquals(IEnumerable<string> other) => IsSupersetOf(other) && IsSubsetOf(other);

    public List<string>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
