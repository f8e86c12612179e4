using System.Buffers;
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
        // Most values (member numbers, e-mail addresses, kanji without spaces) come out as they went in: no new string.
        if (value.AsSpan().IndexOfAnyExcept(Unchanged) < 0)
        {
            return value;
        }

        var nfkc = Nfkc(value);
        Span<char> buffer = nfkc.Length <= 256 ? stackalloc char[nfkc.Length] : new char[nfkc.Length];
        var n = 0;
        var changed = false;
        foreach (var c in nfkc)
        {
            if (IsIgnorable(c))
            {
                changed = true;
                continue;
            }

            var lower = Lower(c);
            changed |= lower != c;
            buffer[n++] = lower;
        }

        return changed ? new string(buffer[..n]) : nfkc;
    }

    /// <summary>
    /// Kana and CJK (U+3000-U+9FFF) have no case: no culture-data lookup for them. Accented Latin letters fold to their base
    /// letter ("Müller" = "muller"), as people and systems drop accents freely.
    /// </summary>
    private static char Lower(char c) =>
        c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c < '\u0080' || c is >= '\u3000' and <= '\u9FFF' ? c
        : c is >= '\u00C0' and <= '\u024F' ? LatinBase[c - '\u00C0'] : char.ToLowerInvariant(c);

    /// <summary>Normalizes an e-mail address: trimmed, NFKC, lower case (the whole address, as mail systems treat it).</summary>
    public static string NormalizeEmail(string email) =>
        email.AsSpan().IndexOfAnyExcept(LowerCaseAscii) < 0 ? email : Nfkc(email.Trim()).ToLowerInvariant();

    /// <summary>
    /// <c>value.Normalize(FormKC)</c>, without the call into ICU when every character is one NFKC leaves alone and no two of
    /// them compose: ASCII, hiragana, katakana, ー, CJK ideographs, 々, 〒, 、 and 。 (verified against ICU for every
    /// such character and every pair). Most Japanese names and addresses are such text; 全角 digits and letters are not.
    /// </summary>
    public static string Nfkc(string value) => value.AsSpan().IndexOfAnyExcept(NfkcStable) < 0 ? value : value.Normalize(NormalizationForm.FormKC);

    internal static bool IsNfkcStable(char c) =>
        c is <= '\u007F' or >= '\u3041' and <= '\u3096' or >= '\u30A1' and <= '\u30FA' or '\u30FC'
            or >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or '\u3005' or '\u3012' or '\u3001' or '\u3002';

    /// <summary>Normalizes a person's name and drops honorifics, so "山田 太郎 様" equals "山田太郎".</summary>
    public static string NormalizeName(string name) => StripHonorific(Normalize(name));

    /// <summary><see cref="NormalizeName"/> of a value already passed through <see cref="Normalize"/>.</summary>
    internal static string StripHonorific(string n)
    {
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

    /// <summary>Base letter, lower case, of each character U+00C0–U+024F ("É" → 'e'); letters without one map to their lower case.</summary>
    private static readonly char[] LatinBase = Enumerable.Range(0xC0, 0x250 - 0xC0).Select(i =>
    {
        var decomposed = ((char)i).ToString().Normalize(NormalizationForm.FormD);
        return char.ToLowerInvariant(decomposed[0]);
    }).ToArray();

    public static bool IsIgnorable(char c) =>
        char.IsWhiteSpace(c) || c is '\u3000' or '〒' or '\0' || IsDash(c);

    /// <summary>Hyphen, minus and dash variants, including the long vowel mark people type in phone numbers.</summary>
    public static bool IsDash(char c) => c is '-' or '‐' or '‑' or '‒' or '–' or '—' or '―' or '−' or 'ー' or '－' or 'ｰ' or '⁃' or '﹣' or '﹘';

    // Sets of characters for the fast paths, made from the rules above (so they cannot disagree with them).
    private static readonly SearchValues<char> NfkcStable = SearchValues.Create(Chars(IsNfkcStable));

    /// <summary>Characters <see cref="Normalize"/> keeps as they are: NFKC-stable, not ignorable, no case to fold.</summary>
    private static readonly SearchValues<char> Unchanged = SearchValues.Create(Chars(c => IsNfkcStable(c) && !IsIgnorable(c) && Lower(c) == c));

    /// <summary>An e-mail address made only of these is already normalized (nothing to trim, fold or lower).</summary>
    private static readonly SearchValues<char> LowerCaseAscii = SearchValues.Create(Chars(c => c is > ' ' and < '\u007F' and not (>= 'A' and <= 'Z')));

    private static string Chars(Func<char, bool> keep)
    {
        var chars = new StringBuilder();
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (keep((char)c))
            {
                chars.Append((char)c);
            }
        }

        return chars.ToString();
    }
}
