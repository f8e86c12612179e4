namespace MisSend.Core.Detection.Model;

/// <summary>
/// A set of data categories as bits, held in place (a struct): one per reach, so cheap enough for 1,000 recipients ×
/// hundreds of people. Holders expose it by <c>ref</c> so that adding to it changes theirs.
/// </summary>
public struct CategorySet : IEnumerable<DataCategory>
{
    private static readonly DataCategory[][] Arrays = new DataCategory[1 << 13][];
    private int _bits;

    public readonly int Count => System.Numerics.BitOperations.PopCount((uint)_bits);

    public void Add(DataCategory c) => _bits |= 1 << (int)c;

    public void UnionWith(CategorySet other) => _bits |= other._bits;

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

    public readonly bool Contains(DataCategory c) => (_bits & (1 << (int)c)) != 0;

    public readonly CategorySet Without(DataCategory c) => new() { _bits = _bits & ~(1 << (int)c) };

    /// <summary>The categories in enum order, as a shared array (do not change it).</summary>
    public readonly DataCategory[] ToArray()
    {
        var bits = _bits;
        return Arrays[bits] ??= Enum.GetValues<DataCategory>().Where(c => (bits & (1 << (int)c)) != 0).ToArray();
    }

    public readonly IEnumerator<DataCategory> GetEnumerator() => ((IEnumerable<DataCategory>)ToArray()).GetEnumerator();

    readonly System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
