using PhoneNumbers;

namespace MisSend.Core.Detection.Recognizers;

/// <summary>
/// Phone numbers in free text, parsed and typed by libphonenumber: a mobile number points at a person; toll-free,
/// navi-dial, shared-cost and premium numbers are businesses'; a landline may be either (an office or a home).
/// </summary>
public static class PhonesInText
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <param name="text">NFKC-folded text (positions refer to it).</param>
    /// <param name="region">Where numbers written without a country code are from: "JP", "DE", "FR", "GB", "US".</param>
    public static IEnumerable<Identifier> Find(string text, string region)
    {
        if (!HasDigitRun(text))
        {
            yield break;
        }

        foreach (var match in Util.FindNumbers(text, region, PhoneNumberUtil.Leniency.VALID, long.MaxValue))
        {
            var type = Util.GetNumberType(match.Number);
            if (type is PhoneNumberType.TOLL_FREE or PhoneNumberType.UAN or PhoneNumberType.SHARED_COST or PhoneNumberType.PREMIUM_RATE
                or PhoneNumberType.VOIP or PhoneNumberType.PAGER)
            {
                continue;
            }

            yield return new Identifier(DataCategory.Phone, match.Start, match.Length, Canonical(match.Number),
                Personal: type is PhoneNumberType.MOBILE or PhoneNumberType.PERSONAL_NUMBER);
        }
    }

    /// <summary>A country whose numbering plan is known ("NL", "IT"): numbers written without a country code can be read as its own.</summary>
    public static bool IsRegion(string code) => Util.GetSupportedRegions().Contains(code);

    /// <summary>The number as it is dialled at home, digits only: "+81 90-1234-5678" and "090 1234 5678" are "09012345678".</summary>
    public static string Canonical(PhoneNumber number) =>
        number.CountryCode == 1 ? Util.GetNationalSignificantNumber(number) : "0" + Util.GetNationalSignificantNumber(number).TrimStart('0');

    /// <summary>The digits of a phone field's value, as <see cref="Canonical(PhoneNumber)"/> would give them, without parsing.</summary>
    public static string Canonical(string normalized)
    {
        var digits = DigitsOf(normalized);
        if (normalized.StartsWith('+'))
        {
            foreach (var cc in (ReadOnlySpan<string>)["81", "49", "33", "44"])
            {
                if (digits.StartsWith(cc, StringComparison.Ordinal))
                {
                    return "0" + digits[cc.Length..].TrimStart('0');
                }
            }

            if (digits.StartsWith('1') && digits.Length == 11)
            {
                return digits[1..];
            }
        }

        return digits.Length == 11 && digits[0] == '1' ? digits[1..] : digits;
    }

    /// <summary>The ASCII digits of <paramref name="s"/>, in order (the string itself when it has nothing else).</summary>
    internal static string DigitsOf(string s)
    {
        var count = 0;
        foreach (var c in s)
        {
            count += char.IsAsciiDigit(c) ? 1 : 0;
        }

        if (count == s.Length)
        {
            return s;
        }

        return string.Create(count, s, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (char.IsAsciiDigit(c))
                {
                    span[i++] = c;
                }
            }
        });
    }

    private static bool HasDigitRun(string text)
    {
        var run = 0;
        foreach (var c in text)
        {
            run = char.IsAsciiDigit(c) ? run + 1 : c is '-' or ' ' or '(' or ')' or '.' or '+' ? run : 0;
            if (run >= 7)
            {
                return true;
            }
        }

        return false;
    }
}
