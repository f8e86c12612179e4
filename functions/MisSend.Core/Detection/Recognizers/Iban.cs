using System.Text.RegularExpressions;

namespace MisSend.Core.Detection.Recognizers;

/// <summary>International bank account numbers (ISO 13616): country code, check digits valid under mod 97.</summary>
public static partial class Iban
{
    /// <param name="text">NFKC-folded text.</param>
    public static IEnumerable<Identifier> Find(string text)
    {
        foreach (Match m in Candidate().Matches(text))
        {
            var compact = m.Value.Replace(" ", "").ToUpperInvariant();
            if (IsValid(compact))
            {
                // A bank account in shared text is often the sender's own (where to pay): personal only with a label saying so.
                yield return new Identifier(DataCategory.BankAccount, m.Index, m.Length, compact, Personal: false);
            }
        }
    }

    /// <summary>True for a well-formed IBAN with valid check digits, spaces and case ignored.</summary>
    public static bool IsValid(string value)
    {
        var s = value.Replace(" ", "").ToUpperInvariant();
        if (s.Length is < 15 or > 34 || !char.IsAsciiLetter(s[0]) || !char.IsAsciiLetter(s[1]) || !char.IsAsciiDigit(s[2]) || !char.IsAsciiDigit(s[3]))
        {
            return false;
        }

        var remainder = 0;
        foreach (var c in s[4..] + s[..4])
        {
            if (char.IsAsciiDigit(c))
            {
                remainder = (remainder * 10 + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }

    [GeneratedRegex(@"\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?\b")]
    private static partial Regex Candidate();
}
