using System.Text.RegularExpressions;

namespace MisSend.Core.Detection.Recognizers;

/// <summary>
/// Names of people a text addresses or labels, even when they are not in the batch: "氏名: 山田 太郎", "佐藤 美咲 様",
/// "Dear Ms Jane Smith", "Sehr geehrte Frau Anna Schmidt", "Madame Claire Dubois", "Name: DUBOIS, Claire". A name the sender
/// signs with (担当: 鈴木, Your advisor: ...) is staff, not a person whose data leaks.
/// </summary>
public static partial class NamesInText
{
    public static IEnumerable<Identifier> Find(string text)
    {
        foreach (var regex in (Regex[])[Labelled(), Honorific(), Salutation()])
        {
            foreach (Match m in regex.Matches(text))
            {
                var value = m.Groups["v"];
                if (NameValue.IsPlausible(value.Value) && NameValue.Parse(value.Value) is { } name && !IsStaffContext(text, m.Index))
                {
                    yield return new Identifier(DataCategory.Name, value.Index, value.Length, name.Key, Personal: true);
                }
            }
        }
    }

    private static bool IsStaffContext(string text, int at)
    {
        var start = Math.Max(0, at - 12);
        var before = text[start..at];
        return StaffLabel().IsMatch(before);
    }

    [GeneratedRegex(@"(?:氏名|お名前|お客様名|ご契約者名?|ご購入者名?|患者名|患者氏名|生徒名|児童名|会員名|契約者名?|宛名|受取人|購入者|(?i:\bname|\bfull\s*name|\bpatient|\bcustomer|\bcardholder|\bholder|\bname\s*des\s*kunden|\bkunde|\bkontoinhaber|\bnom|\bprénom\s*et\s*nom|\btitulaire))\s*[:：]\s*(?<v>[^\n,;|\t:：0-9@]{2,40}?(?:,\s*[A-ZÀ-Ý][\p{L}'\-]+)?)(?=\s*(?:[,;|\t\n]|$|様|さん|殿|\s{2}|\s*\d|\s+(?i:e-?mail|tel|phone|dob|born|geb|né)))", RegexOptions.Multiline)]
    private static partial Regex Labelled();

    [GeneratedRegex(@"(?<v>[\p{IsCJKUnifiedIdeographs}々]{1,4}[ \u3000]?[\p{IsCJKUnifiedIdeographs}\p{IsHiragana}\p{IsKatakana}々]{1,5})[ \u3000]?(?:様|さま|殿)")]
    private static partial Regex Honorific();

    [GeneratedRegex(@"(?:(?i:\bdear|\bmr\.?|\bmrs\.?|\bms\.?|\bmx\.?|\bdr\.?|\bherrn?|\bfrau|\bmadame|\bmonsieur|\bmademoiselle|\bmme\.?|\bmlle\.?))\s+(?<v>(?:[A-ZÀ-Ý][\p{L}'\-]+|[A-ZÀ-Ý]{2,})(?:,?\s+(?:[A-ZÀ-Ý][\p{L}'\-]+|[A-ZÀ-Ý]{2,})){1,2})")]
    private static partial Regex Salutation();

    [GeneratedRegex(@"(?:担当|担任|弊社|当社|差出人|発行者|院長|医師|(?i:advisor|adviser|your\s+contact|contact\s*person|sachbearbeiter|ansprechpartner|berater|conseiller|interlocuteur|from|regards|signed))\s*[:：]?\s*$")]
    private static partial Regex StaffLabel();
}
