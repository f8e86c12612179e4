namespace MisSend.Core.Detection.Model;

/// <summary>A read-only list made once, when it is first read.</summary>
internal sealed class LazyList<T>(Func<List<T>> make) : IReadOnlyList<T>
{
    private readonly Lazy<List<T>> _items = new(make);

    public int Count => _items.Value.Count;

    public T this[int index] => _items.Value[index];

    public IEnumerator<T> GetEnumerator() => _items.Value.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
