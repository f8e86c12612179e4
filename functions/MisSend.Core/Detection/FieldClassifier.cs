using System.Text.RegularExpressions;
using MisSend.Core.Text;

namespace MisSend.Core.Detection;

/// <summary>Guesses what a merge field holds from its key (English or Japanese) and the shape of its value.</summary>
public static partial class FieldClassifier
{
    public static DataCategory Classify(string key, string value) => Classify(key, value, TextNormalizer.Normalize(value));

    /// <summary><see cref="Classify(string, string)"/> with <paramref name="normalized"/> = <c>TextNormalizer.Normalize(value)</c> already known.</summary>
    internal static DataCategory Classify(string key, string value, string normalized) => Classify(KeyCategory(key), value, normalized);

    /// <summary>Classifies a value whose key was classified already (<see cref="KeyCategory"/>): keys repeat in every personalization.</summary>
    internal static DataCategory Classify(DataCategory? keyCategory, string value, string normalized)
    {
        // Only U+0040, U+FE6B and U+FF20 fold to '@' under NFKC, and Normalize keeps it: no '@', no e-mail address.
        if (normalized.Contains('@') && LooksLikeEmail(value))
        {
            return DataCategory.Email;
        }

        if (keyCategory is { } category)
        {
            return category;
        }

        if (PhoneShape().IsMatch(normalized))
        {
            return DataCategory.Phone;
        }

        return value.Contains('〒') && PostalShape().IsMatch(normalized) ? DataCategory.PostalCode : DataCategory.Other;
    }

    /// <summary>What the key alone says the field holds, or null when only the value's shape can tell.</summary>
    internal static DataCategory? KeyCategory(string key)
    {
        var k = LastSegment(key);
        if (IsNameKey(k))
        {
            return DataCategory.Name;
        }

        if (Has(k, "zip", "postal", "postcode", "郵便", "〒"))
        {
            return DataCategory.PostalCode;
        }

        if (Has(k, "address", "addr", "street", "住所", "所在地", "番地"))
        {
            return DataCategory.Address;
        }

        if (Has(k, "phone", "tel", "mobile", "電話", "携帯", "fax"))
        {
            return DataCategory.Phone;
        }

        if (Has(k, "birth", "生年月日", "誕生"))
        {
            return DataCategory.BirthDate;
        }

        if (Has(k, "member", "customer", "account", "会員", "顧客", "お客様番号", "番号", "userid", "user_id"))
        {
            return DataCategory.MemberId;
        }

        if (Has(k, "amount", "price", "total", "fee", "charge", "金額", "料金", "合計", "代金", "請求", "支払"))
        {
            return DataCategory.Amount;
        }

        return Has(k, "seat", "席") ? DataCategory.Seat : null;
    }

    /// <summary>True for a key that names the data subject's own address (not a help-desk or sender address).</summary>
    public static bool IsOwnerEmailKey(string key)
    {
        var k = LastSegment(key);
        return !Has(k, "support", "contact", "help", "info", "from", "reply", "sender", "office", "問い合わせ", "問合せ", "窓口", "事務局");
    }

    /// <summary>
    /// True for an e-mail address however it was typed: "ｓａｔｏ＠ｅｘａｍｐｌｅ．ｊｐ" (full-width, as people type it in
    /// Japanese forms) is the same address as "sato@example.jp" once NFKC-folded.
    /// </summary>
    public static bool LooksLikeEmail(string value)
    {
        var trimmed = value.Trim();
        return EmailShape().IsMatch(TextNormalizer.Nfkc(trimmed));
    }

    /// <summary>Values that describe many people at once: prices, dates, small numbers, yes/no.</summary>
    public static bool IsNonIdentifyingShape(string normalized) =>
        normalized.Length == 0 || MoneyOrDateShape().IsMatch(normalized)
        || (IsDigits(normalized) && (normalized.Length < 7 || (normalized.Length == 8 && normalized[0] is '1' or '2')));

    private static bool IsDigits(string s) => s.All(char.IsAsciiDigit);

    private static bool IsNameKey(string k)
    {
        if (Has(k, "氏名", "名前", "フリガナ", "ふりがな", "カナ", "かな", "holder", "recipient", "guest"))
        {
            return !Has(k, "event", "team", "venue", "match", "file", "試合", "会場", "チーム", "席");
        }

        var bare = k.Replace("_", "").Replace("-", "").Replace(".", "");
        return bare is "name" or "fullname" or "firstname" or "lastname" or "givenname" or "familyname" or "surname"
            or "customername" or "membername" or "username" or "displayname" or "sei" or "mei" or "seimei" or "kana"
            or "姓" or "名" or "名字" or "苗字" or "会員名" or "顧客名" or "購入者名" or "お客様名" or "契約者名" or "申込者名"
            or "購入者" or "契約者" or "申込者" or "宛名";
    }

    private static string LastSegment(string key)
    {
        var dot = key.LastIndexOf('.');
        var seg = dot >= 0 ? key[(dot + 1)..] : key;
        var bracket = seg.IndexOf('[');
        seg = bracket > 0 ? seg[..bracket] : seg;
        return seg.Trim('-', '%', '{', '}', ' ', ':').ToLowerInvariant();
    }

    private static bool Has(string key, params ReadOnlySpan<string> parts)
    {
        foreach (var p in parts)
        {
            if (key.Contains(p, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^[^@\s""<>]+@[^@\s""<>]+\.[^@\s""<>]+$")]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"^(\+81|0)\d{9,10}$")]
    private static partial Regex PhoneShape();

    [GeneratedRegex(@"^\d{7}$")]
    private static partial Regex PostalShape();

    // Money needs a currency mark, a unit or thousands separators: a bare run of digits is a phone or member number
    // (it is judged by its length in IsNonIdentifyingShape), never "a price".
    [GeneratedRegex(@"^([¥$€][\d,.]+(円|yen|jpy)?|[\d,.]*\d(円|yen|jpy)|\d{1,3}(,\d{3})+|\d+\.\d+|\d{1,4}[/.年]\d{1,2}([/.月]\d{1,2}日?)?(\(.\))?|(\d{1,4}年)?\d{1,2}月\d{1,2}日(\(.\))?|\d{1,2}:\d{2}|true|false|yes|no|はい|いいえ|あり|なし)$")]
    private static partial Regex MoneyOrDateShape();
}
