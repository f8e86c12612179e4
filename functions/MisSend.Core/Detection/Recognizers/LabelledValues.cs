using System.Text.RegularExpressions;
using MisSend.Core.Text;

namespace MisSend.Core.Detection.Recognizers;

/// <summary>
/// Values a label declares personal, in Japanese, English, German and French: "会員番号: A-1234", "Date of birth: 1984-05-12",
/// "Diagnose: Asthma", "Nom : Claire Dubois". The label is what makes a number a member number or a date a birthday.
/// </summary>
public static partial class LabelledValues
{
    public static IEnumerable<Identifier> Find(string text)
    {
        foreach (Match m in MemberId().Matches(text))
        {
            var value = m.Groups["v"];
            yield return new Identifier(DataCategory.MemberId, value.Index, value.Length, TextNormalizer.Normalize(value.Value), Personal: true);
        }

        foreach (Match m in BirthDate().Matches(text))
        {
            var value = m.Groups["v"];
            yield return new Identifier(DataCategory.BirthDate, value.Index, value.Length, TextNormalizer.Normalize(value.Value), Personal: true);
        }

        foreach (Match m in Sensitive().Matches(text))
        {
            var value = m.Groups["v"];
            yield return new Identifier(DataCategory.Health, value.Index, value.Length, TextNormalizer.Normalize(value.Value), Personal: true);
        }

        foreach (Match m in AccountLabel().Matches(text))
        {
            var value = m.Groups["v"];
            yield return new Identifier(DataCategory.BankAccount, value.Index, value.Length, TextNormalizer.Normalize(value.Value), Personal: true);
        }
    }

    private const string Sep = @"\s*(?:[:：]|\bis\b|=)?\s*";

    [GeneratedRegex(@"(?:会員番号|会員No\.?|会員ID|お客様番号|顧客番号|顧客ID|患者番号|患者ID|診察券番号|学籍番号|生徒番号|受験番号|契約番号|証券番号|保険証番号|" +
        @"(?i:member(?:ship)?\s*(?:no\.?|number|id|#)|customer\s*(?:no\.?|number|id|#)|account\s*(?:no\.?|number|#)|patient\s*(?:no\.?|number|id)|" +
        @"policy\s*(?:no\.?|number)|student\s*(?:no\.?|number|id)|kundennummer|kunden-nr\.?|mitgliedsnummer|mitglieds-nr\.?|vertragsnummer|" +
        @"versichertennummer|patientennummer|n°\s*(?:client|adhérent|adherent|de\s*client|de\s*contrat)|numéro\s*(?:de\s*)?(?:client|d'adhérent|adhérent|de\s*contrat|de\s*sécurité\s*sociale)))" +
        Sep + @"(?<v>[A-Za-z]{0,4}[\-]?\d[\dA-Za-z\-]{3,20})")]
    private static partial Regex MemberId();

    [GeneratedRegex(@"(?:生年月日|誕生日|(?i:date\s*of\s*birth|birth\s*date|birthday|d\.?o\.?b\.?|born(?:\s*on)?|geburtsdatum|geb\.|geboren\s*am|date\s*de\s*naissance|né(?:e)?\s*le|ne(?:e)?\s*le))" +
        Sep + @"(?<v>(?:\d{4}[/.\-年]\s*\d{1,2}[/.\-月]\s*\d{1,2}日?|\d{1,2}[/.\-]\s*\d{1,2}[/.\-]\s*\d{2,4}|(?:昭和|平成|令和|S|H|R)\s*\d{1,2}年\s*\d{1,2}月\s*\d{1,2}日|\d{1,2}\.?\s+[A-Za-zéû]+\.?\s+\d{4}|[A-Za-z]+\s+\d{1,2},?\s+\d{4}))")]
    private static partial Regex BirthDate();

    [GeneratedRegex(@"(?:病名|傷病名|診断名|診断|既往歴|病歴|持病|服薬中の薬|処方薬|処方|障害の種類|障害|アレルギー|" +
        @"(?i:diagnosis|condition|medical\s*history|medication|prescription|disability|allerg(?:y|ies)|diagnose|befund|erkrankung|vorerkrankungen|medikation|" +
        @"diagnostic|pathologie|antécédents|antecedents|traitement|handicap))" + @"\s*[:：]\s*(?<v>[^\n,、;]{2,60})")]
    private static partial Regex Sensitive();

    [GeneratedRegex(@"(?:口座番号|(?i:account\s*number|bank\s*account|kontonummer|numéro\s*de\s*compte))" + Sep + @"(?<v>\d[\d\- ]{5,20}\d)")]
    private static partial Regex AccountLabel();
}
