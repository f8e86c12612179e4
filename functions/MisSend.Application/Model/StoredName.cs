using System.Collections.Frozen;
using System.Reflection;

namespace MisSend.Application.Model;

/// <summary>
/// The name a state or kind has in storage and in JSON. Stored rows name members, never ordinals, so reordering or
/// inserting a member cannot rewrite what past rows mean.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class StoredNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Reads and writes <see cref="StoredNameAttribute"/> names. Every member of a stored enum must have one.</summary>
public static class StoredName
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Names<TEnum>.ByValue.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} has no stored name for this value");

    public static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum =>
        Names<TEnum>.ByName.TryGetValue(name, out var value)
            ? value
            : throw new FormatException($"'{name}' is not a stored {typeof(TEnum).Name}");

    public static IReadOnlyCollection<string> All<TEnum>()
        where TEnum : struct, Enum => Names<TEnum>.ByName.Keys;

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue = typeof(TEnum)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToFrozenDictionary(
                f => (TEnum)f.GetValue(null)!,
                f => f.GetCustomAttribute<StoredNameAttribute>()?.Name
                    ?? throw new InvalidOperationException($"{typeof(TEnum).Name}.{f.Name} has no [StoredName]"));

        public static readonly FrozenDictionary<string, TEnum> ByName = ByValue.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
    }
}
