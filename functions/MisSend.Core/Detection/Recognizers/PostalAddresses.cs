using System.Text.RegularExpressions;

namespace MisSend.Core.Detection.Recognizers;

/// <summary>
/// Postal addresses: Japanese (〒 and a postcode, or a prefecture with a 丁目/番地 or 1-2-3 house number), German and French
/// (street and number, five-digit postcode and town), British (postcode) and American (number, street, state and ZIP).
/// An address alone may be an office's; it makes a person identifiable together with a name.
/// </summary>
public static partial class PostalAddresses
{
    public static IEnumerable<Identifier> Find(string text)
    {
        foreach (var regex in (Regex[])[Japanese(), GermanOrFrench(), British(), American()])
        {
            foreach (Match m in regex.Matches(text))
            {
                yield return new Identifier(DataCategory.Address, m.Index, m.Length, Text.TextNormalizer.Normalize(m.Value), Personal: false);
            }
        }
    }

    [GeneratedRegex(@"(?:〒\s*\d{3}[-－ー]?\d{4}|(?:北海道|東京都|大阪府|京都府|\p{IsCJKUnifiedIdeographs}{2,3}県)\p{IsCJKUnifiedIdeographs}{1,6}[市区町村郡]).{0,30}?(?:\d+丁目|\d+番地?|\d+[-－]\d+(?:[-－]\d+)?)")]
    private static partial Regex Japanese();

    [GeneratedRegex(@"\b[\p{L}][\p{L}.\- ']{2,40}\s\d{1,4}[a-zA-Z]?,?\s+\d{5}\s+[\p{L}][\p{L}\- ]{1,30}|\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|allée|allee|place|chemin|impasse|route|quai)\s[\p{L}' \-]{2,40},?\s+\d{5}\s+[\p{L}][\p{L}\- ]{1,30}", RegexOptions.IgnoreCase)]
    private static partial Regex GermanOrFrench();

    [GeneratedRegex(@"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")]
    private static partial Regex British();

    [GeneratedRegex(@"\b\d{1,6}\s+[A-Z][\p{L} .]{2,30}\s(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Lane|Ln|Dr|Drive|Ct|Court|Way|Pl|Place)\.?,?[\p{L} ,.#\d]{0,40}?\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b")]
    private static partial Regex American();
}
