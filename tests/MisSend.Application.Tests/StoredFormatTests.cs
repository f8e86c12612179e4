using System.Reflection;
using System.Text.Json.Serialization;
using MisSend.Application.Model;
using MisSend.Core;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;

namespace MisSend.Application.Tests;

/// <summary>Issue 10 §8: what is stored names states, kinds and categories, so reordering an enum cannot rewrite past rows.</summary>
public sealed class StoredFormatTests
{
    /// <summary>The application's stored enums and the Core ones its rows hold (incident kinds, sources, notice kinds, answers).</summary>
    public static TheoryData<Type> StoredEnums => new(new[] { typeof(IncidentRecord).Assembly, typeof(IncidentKind).Assembly }
        .SelectMany(a => a.GetTypes())
        .Where(t => t.IsEnum && t.GetFields(BindingFlags.Public | BindingFlags.Static).Any(f => f.IsDefined(typeof(JsonStringEnumMemberNameAttribute))))
        .ToArray());

    [Theory]
    [MemberData(nameof(StoredEnums))]
    public void Every_member_of_a_stored_enum_has_its_own_name_and_reads_back(Type type)
    {
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.Static);
        var names = fields.Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name).ToList();

        Assert.All(names, n => Assert.False(string.IsNullOrWhiteSpace(n)));
        Assert.Equal(names.Count, names.Distinct().Count());
        var roundTrip = typeof(StoredFormatTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        Assert.All(fields, f => Assert.Equal(f.GetValue(null), roundTrip.Invoke(null, [f.GetValue(null)])));
    }

    [Fact]
    public void Stored_names_are_the_documented_strings_not_ordinals()
    {
        Assert.Equal("sent", StoredName.Of(ChunkState.Sent));
        Assert.Equal("unknown", StoredName.Of(ChunkState.Unknown));
        Assert.Equal("quarantined", StoredName.Of(ChunkState.Quarantined));
        Assert.Equal("detector", StoredName.Of(IncidentSource.Detector));
        Assert.Equal("notified-with-unconfirmed", StoredName.Of(IncidentStatus.NotifiedWithUnconfirmed));
        Assert.Equal(IncidentStatus.Contained, StoredName.Parse<IncidentStatus>("contained"));
        Assert.Throws<FormatException>(() => StoredName.Parse<ChunkState>("3"));
    }

    [Fact]
    public void Findings_are_stored_with_category_ids_and_read_back()
    {
        Finding[] findings = [new(Rules.WrongOwner, 3, [DataCategory.Email, DataCategory.Name, DataCategory.BankAccount], 1, "t***@example.jp received another person's guide")];

        var json = StoredJson.Findings(findings);

        Assert.Contains("\"categories\": [\n      \"email\",\n      \"name\",\n      \"bank-account\"\n    ]", json.ReplaceLineEndings("\n"));
        Assert.DoesNotMatch("\"categories\": \\[\\s*\\d", json);
        var back = Assert.Single(StoredJson.ReadFindings(json));
        Assert.Equal(findings[0].Categories, back.Categories);
        Assert.Equal((findings[0].Rule, findings[0].Personalization, findings[0].People, findings[0].Detail), (back.Rule, back.Personalization, back.People, back.Detail));
    }

    [Fact]
    public void Category_columns_are_ids_in_any_order_and_an_unknown_id_reads_as_other()
    {
        Assert.Equal("postal-code,member-id,health", StoredJson.Categories([DataCategory.PostalCode, DataCategory.MemberId, DataCategory.Health]));
        Assert.Equal([DataCategory.Health, DataCategory.Email, DataCategory.Other], StoredJson.ReadCategories("health,email,retired-category"));
        Assert.Throws<System.Text.Json.JsonException>(() => StoredJson.ReadFindings("[{\"rule\":\"x\",\"categories\":[1],\"people\":1,\"detail\":\"\"}]"));
    }

    private static TEnum RoundTrip<TEnum>(TEnum value)
        where TEnum : struct, Enum => StoredName.Parse<TEnum>(StoredName.Of(value));
}
