using System.Text.Json;
using System.Text.Json.Serialization;

namespace MisSend.Core.Detection;

/// <summary>
/// Kinds of personal data, named in findings, notices and the report. Stored by <see cref="DataCategoryNames.Id"/>, never
/// by position: members may be added or reordered freely.
/// </summary>
[JsonConverter(typeof(DataCategoryJsonConverter))]
public enum DataCategory
{
    Email,
    Name,
    Address,
    PostalCode,
    Phone,
    MemberId,
    BirthDate,
    Amount,
    Seat,
    CardNumber,
    BankAccount,

    /// <summary>Health, diagnosis, disability and the other 要配慮個人情報 (APPI Art. 2(3)).</summary>
    Health,
    Other,
}

public static class DataCategoryNames
{
    public static string English(this DataCategory c) => c switch
    {
        DataCategory.Email => "e-mail address",
        DataCategory.Name => "name",
        DataCategory.Address => "postal address",
        DataCategory.PostalCode => "postal code",
        DataCategory.Phone => "phone number",
        DataCategory.MemberId => "member or customer number",
        DataCategory.BirthDate => "date of birth",
        DataCategory.Amount => "amount due",
        DataCategory.Seat => "seat type",
        DataCategory.CardNumber => "payment card number",
        DataCategory.BankAccount => "bank account number",
        DataCategory.Health => "health information",
        _ => "other personal details",
    };

    public static string Japanese(this DataCategory c) => c switch
    {
        DataCategory.Email => "メールアドレス",
        DataCategory.Name => "氏名",
        DataCategory.Address => "住所",
        DataCategory.PostalCode => "郵便番号",
        DataCategory.Phone => "電話番号",
        DataCategory.MemberId => "会員番号・顧客番号",
        DataCategory.BirthDate => "生年月日",
        DataCategory.Amount => "請求金額",
        DataCategory.Seat => "席種",
        DataCategory.CardNumber => "クレジットカード番号",
        DataCategory.BankAccount => "銀行口座番号",
        DataCategory.Health => "病歴・診療情報",
        _ => "その他の個人に関する情報",
    };

    /// <summary>Stable id used in JSON and storage.</summary>
    public static string Id(this DataCategory c) => c switch
    {
        DataCategory.PostalCode => "postal-code",
        DataCategory.MemberId => "member-id",
        DataCategory.BirthDate => "birth-date",
        DataCategory.CardNumber => "card-number",
        DataCategory.BankAccount => "bank-account",
        _ => c.ToString().ToLowerInvariant(),
    };

    /// <summary>要配慮個人情報 (APPI Art. 2(3); a leak of it must be reported to the PPC, 規則7条1号) and GDPR Art. 9 data.</summary>
    public static bool IsSensitive(this DataCategory c) => c is DataCategory.Health;

    /// <summary>Data whose leak may cause financial loss (財産的被害のおそれ, 規則7条2号): it can be used to pay or withdraw.</summary>
    public static bool RisksFinancialHarm(this DataCategory c) => c is DataCategory.CardNumber or DataCategory.BankAccount;

    private static readonly Dictionary<string, DataCategory> ById =
        Enum.GetValues<DataCategory>().ToDictionary(c => c.Id(), StringComparer.Ordinal);

    /// <summary>The category of a stable id; the enum member's name (as older versions stored it) is read too.</summary>
    public static DataCategory? FromId(string id) =>
        ById.TryGetValue(id, out var c) ? c
        : Enum.TryParse<DataCategory>(id, ignoreCase: false, out var named) && Enum.IsDefined(named) && !char.IsDigit(id[0]) ? named
        : null;
}

/// <summary>Writes a <see cref="DataCategory"/> as its stable id ("member-id"); reads the id, the old enum name or the old number.</summary>
public sealed class DataCategoryJsonConverter : JsonConverter<DataCategory>
{
    public override DataCategory Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Findings stored before the converter wrote the enum's number; the members kept their order up to Other.
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) && number is >= 0 and <= (int)DataCategory.Other)
        {
            return (DataCategory)number;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"a data category must be a string id, found {reader.TokenType}");
        }

        var id = reader.GetString()!;
        return DataCategoryNames.FromId(id) ?? throw new JsonException($"unknown data category \"{id}\"");
    }

    public override void Write(Utf8JsonWriter writer, DataCategory value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Id());

    public override DataCategory ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Read(ref reader, typeToConvert, options);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, DataCategory value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.Id());
}
