using System.Text.RegularExpressions;

namespace MisSend.Core.Detection.Recognizers;

/// <summary>Payment card numbers: 13–19 digits (spaces or dashes allowed) with a valid Luhn check digit and a card network's prefix.</summary>
public static partial class PaymentCards
{
    public static IEnumerable<Identifier> Find(string text)
    {
        foreach (Match m in Candidate().Matches(text))
        {
            var digits = new string(m.Value.Where(char.IsAsciiDigit).ToArray());
            if (IsValid(digits))
            {
                yield return new Identifier(DataCategory.CardNumber, m.Index, m.Length, digits, Personal: true);
            }
        }
    }

    public static bool IsValid(string digits) =>
        digits.Length is >= 13 and <= 19 && digits.All(char.IsAsciiDigit) && digits[0] is '2' or '3' or '4' or '5' or '6' && Luhn(digits);

    internal static bool Luhn(string digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubled)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")]
    private static partial Regex Candidate();
}
