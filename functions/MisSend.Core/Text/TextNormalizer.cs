using System.Text;

namespace MisSend.Core.Text;

/// <summary>
/// Folds text so the same value matches however it was typed: NFKC (全角/半角), no spaces of any width,
/// no hyphen or dash variants, no 〒, lower case.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        var nfkc = IsAsciiOnly(value) ? value : value.Normalize(NormalizationForm.FormKC);
        var result = string.Create(nfkc.Length, nfkc, static (span, source) =>
        {
            var n = 0;
            foreach (var c in source)
            {
                if (!IsIgnorable(c))
                {
                    span[n++] = char.ToLowerInvariant(c);
                }
            }

            span[n..].Clear();
        });

        var end = result.IndexOf('\0');
        return end < 0 ? result : result[..end];
    }

    /// <summary>Normalizes an e-mail address: trimmed, NFKC, lower case (the whole address, as mail systems treat it).</summary>
    public static string NormalizeEmail(string email)
    {
        var trimmed = email.Trim();
        return (IsAsciiOnly(trimmed) ? trimmed : trimmed.Normalize(NormalizationForm.FormKC)).ToLowerInvariant();
    }

    /// <summary>Normalizes a person's name and drops honorifics, so "山田 太郎 様" equals "山田太郎".</summary>
    public static string NormalizeName(string name)
    {
        var n = Normalize(name);
        foreach (var suffix in Honorifics)
        {
            if (n.Length > suffix.Length && n.EndsWith(suffix, StringComparison.Ordinal))
            {
                return n[..^suffix.Length];
            }
        }

        return n;
    }

    private static readonly string[] Honorifics = ["さま", "様", "殿", "御中", "さん"];

    public static bool IsIgnorable(char c) =>
        char.IsWhiteSpace(c) || c is '\u3000' or '〒' or '\0' || IsDash(c);

    /// <summary>Hyphen, minus and dash variants, including the long vowel mark people type in phone numbers.</summary>
    public static bool IsDash(char c) => c is '-' or '‐' or '‑' or '‒' or '–' or '—' or '―' or '−' or 'ー' or '－' or 'ｰ' or '⁃' or '﹣' or '﹘';

    private static bool IsAsciiOnly(string s) => Ascii.IsValid(s);
}
