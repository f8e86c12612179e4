using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MisSend.Core.Detection;

namespace MisSend.Application.Model;

/// <summary>
/// JSON as the pipeline stores it (findings, reason blobs): data categories by their stable id, never by ordinal,
/// whatever converter the enum itself carries.
/// </summary>
public static class StoredJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        // Categories by id first; every other enum by its stored name (JsonStringEnumMemberName).
        Converters = { new DataCategoryIdConverter(), new JsonStringEnumConverter() },
    };

    public static string Findings(IReadOnlyList<Finding> findings) => JsonSerializer.Serialize(findings, Options);

    public static IReadOnlyList<Finding> ReadFindings(string json) => JsonSerializer.Deserialize<List<Finding>>(json, Options) ?? [];

    /// <summary>Category ids, comma-separated, for table columns.</summary>
    public static string Categories(IEnumerable<DataCategory> categories) => string.Join(',', categories.Select(c => c.Id()));

    public static IReadOnlyList<DataCategory> ReadCategories(string ids) =>
        ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => DataCategoryNames.FromId(id) ?? DataCategory.Other).ToArray();

    private sealed class DataCategoryIdConverter : JsonConverter<DataCategory>
    {
        public override DataCategory Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && DataCategoryNames.FromId(reader.GetString()!) is { } c
                ? c
                : throw new JsonException($"not a data category id: {(reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.TokenType.ToString())}");

        public override void Write(Utf8JsonWriter writer, DataCategory value, JsonSerializerOptions options) => writer.WriteStringValue(value.Id());
    }
}
