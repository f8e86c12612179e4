namespace MisSend.TestSupport.InMemory;

/// <summary>
/// Rows by (partition, row) with a version per write, under one lock: insert-if-absent and compare-and-replace, the
/// two guarantees the application's ports promise (and Table storage gives with 409 and ETags).
/// </summary>
internal sealed class VersionedRows<T>(Func<T, string?> versionOf, Func<T, string, T> withVersion)
    where T : class
{
    private readonly SortedDictionary<(string Partition, string Row), T> _rows = new(Comparer<(string, string)>.Create((a, b) =>
    {
        var p = string.CompareOrdinal(a.Item1, b.Item1);
        return p != 0 ? p : string.CompareOrdinal(a.Item2, b.Item2);
    }));

    private long _version;

    public T? Get(string partition, string row)
    {
        lock (_rows)
        {
            return _rows.GetValueOrDefault((partition, row));
        }
    }

    public T? TryAdd(string partition, string row, T record)
    {
        lock (_rows)
        {
            if (_rows.ContainsKey((partition, row)))
            {
                return null;
            }

            return _rows[(partition, row)] = withVersion(record, Next());
        }
    }

    public T? TryReplace(string partition, string row, T record)
    {
        var version = versionOf(record) ?? throw new ArgumentException("a conditional replace needs the version the row was read with", nameof(record));
        lock (_rows)
        {
            if (!_rows.TryGetValue((partition, row), out var current) || versionOf(current) != version)
            {
                return null;
            }

            return _rows[(partition, row)] = withVersion(record, Next());
        }
    }

    public T Upsert(string partition, string row, T record)
    {
        lock (_rows)
        {
            return _rows[(partition, row)] = withVersion(record, Next());
        }
    }

    public bool Remove(string partition, string row)
    {
        lock (_rows)
        {
            return _rows.Remove((partition, row));
        }
    }

    public List<T> List(string partition, string prefix = "")
    {
        lock (_rows)
        {
            return _rows.Where(kv => kv.Key.Partition == partition && kv.Key.Row.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
        }
    }

    public List<T> All()
    {
        lock (_rows)
        {
            return [.. _rows.Values];
        }
    }

    private string Next() => $"v{Interlocked.Increment(ref _version)}";
}
