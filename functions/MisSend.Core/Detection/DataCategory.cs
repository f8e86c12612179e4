namespace MisSend.Core.Detection;

/// <summary>Kinds of personal data, named in findings, notices and the report.</summary>
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
        _ => "その他の個人に関する情報",
    };

    /// <summary>Stable id used in JSON and storage.</summary>
    public static string Id(this DataCategory c) => c switch
    {
        DataCategory.PostalCode => "postal-code",
        DataCategory.MemberId => "member-id",
        DataCategory.BirthDate => "birth-date",
        _ => c.ToString().ToLowerInvariant(),
    };

    public static DataCategory? FromId(string id) =>
        Enum.GetValues<DataCategory>().Cast<DataCategory?>().FirstOrDefault(c => c!.Value.Id() == id);
}
