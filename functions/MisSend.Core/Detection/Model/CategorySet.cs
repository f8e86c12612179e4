namespace MisSend.Core.Detection.Model;

/// <summary>A set of data categories as bits: one per reach, so cheap enough for 1,000 recipients × hundreds of people.</summary>
public sealed class CategorySet : IEnumerable<DataCategory>
{
    private static readonly DataCategory[][] Arrays = new DataCategory[1 << 13][];
    private int _bits;

    public int Count => System.Numerics.BitOperations.PopCount((uint)_bits);

    public void Add(DataCategory c) => _bits |= 1 << (int)c;

    public void UnionWith(IEnumerable<DataCategory> categories)
    {
        if (categories is CategorySet other)
        {
            _bits |= other._bits;
            return;
        }

        foreach (var c in categories)
        {
            Add(c);
        }
    }

    public bool Contains(DataCategory c) => (_bits & (1 << (int)c)) != 0;

    public CategorySet Without(DataCategory c) => new() { _bits = _bits & ~(1 << (int)c) };

    /// <summary>The categories in enum order, as a shared array (do not change it).</summary>
    public DataCategory[] ToArray() =>
        Arrays[_bits] ??= Enum.GetValues<DataCategory>().Where(Contains).ToArray();

    public IEnumerator<DataCategory> GetEnumerator() => ((IEnumerable<DataCategory>)ToArray()).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
