using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace MisSend.Core;

/// <summary>
/// The stable name an enum value is stored and serialized under: its <see cref="JsonStringEnumMemberNameAttribute"/>.
/// Records and JSON never hold ordinals, so members can be reordered or added without changing stored meaning.
/// </summary>
public static class StoredName
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Names<TEnum>.ByValue[value];

    public static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum => TryParse<TEnum>(name, out var value)
            ? value
            : throw new FormatException($"'{name}' is not a stored {typeof(TEnum).Name}; expected one of {string.Join(", ", Names<TEnum>.ByName.Keys)}");

    public static bool TryParse<TEnum>(string? name, out TEnum value)
        where TEnum : struct, Enum => Names<TEnum>.ByName.TryGetValue(name ?? "", out value);

    /// <summary>Any enum value, boxed (for templates that receive values of many enum types).</summary>
    internal static string OfBoxed(Enum value) => Boxed.GetOrAdd(value, v =>
        v.GetType().GetField(v.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? v.ToString());

    private static readonly ConcurrentDictionary<Enum, string> Boxed = new();

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue = Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v =>
            typeof(TEnum).GetField(v.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"{typeof(TEnum).Name}.{v} has no stored name"));

        public static readonly FrozenDictionary<string, TEnum> ByName = ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
