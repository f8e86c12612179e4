using System.Globalization;
using System.Text;
using MisSend.Core.Text;

namespace MisSend.Core.Detection.Recognizers;

public enum NameScript { Latin, Han, Kana }

public enum NameMatch { Unknown, Same, Different }

/// <summary>
/// A person's name as the batch wrote it, folded for comparison: titles and honorifics dropped, width and case folded,
/// Latin diacritics removed, tokens kept so that "Taro Yamada", "YAMADA, Taro" and "yamada taro" are one name.
/// </summary>
/// <param name="Key">Normalized, no spaces: the needle searched for in texts.</param>
/// <param name="Tokens">Given name and surname in any order (Latin: lower case, no diacritics).</param>
public sealed record NameValue(string Raw, string Key, IReadOnlyList<string> Tokens, NameScript Script)
{
    /// <summary>A full name (two parts, or a Japanese name of three characters or more) rather than a surname or a given name.</summary>
    public bool IsFull => !SurnameOnly && (Tokens.Count >= 2 || (Script == NameScript.Han && Key.Length >= 3));

    /// <summary>The value stands under a surname key ("sei": 長谷川): three kanji are then a family name, not a full name.</summary>
    public bool SurnameOnly { get; init; }

    /// <summary>
    /// The family name, when the order shows it: first in Japanese, first in "YAMADA, Taro" or "DUBOIS Claire", else
    /// last ("Claire Dubois"). Null for a single name.
    /// </summary>
    public string? Family
    {
        get
        {
            if (Tokens.Count < 2)
            {
                return null;
            }

            if (Script != NameScript.Latin || Raw.Contains(',') || IsAirlineForm(Raw))
            {
                return Tokens[0];
            }

            var first = Raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return first.Length > 1 && first.All(c => !char.IsLetter(c) || char.IsUpper(c)) ? Tokens[0] : Tokens[^1];
        }
    }

    /// <summary>
    /// The family name when it can tell a family: one kanji is a whole surname (林, 森, 原), one Latin letter is only an
    /// initial ("J. Smith").
    /// </summary>
    public string? TellingFamily => Family is { } f && (f.Length >= 2 || Script != NameScript.Latin) ? f : null;

    /// <summary>Latin: "yamadataro" and "taroyamada" are both the name, once spaces are gone.</summary>
    public IEnumerable<string> Needles()
    {
        yield return Key;
        if (Script == NameScript.Latin && Tokens.Count == 2)
        {
            yield return Tokens[1] + Tokens[0];
            yield return Tokens[0] + Tokens[1];
        }
    }

    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dear", "herr", "frau", "hr", "fr", "m", "mme", "mlle", "monsieur", "madame",
        "mademoiselle", "sehr", "geehrte", "geehrter", "liebe", "lieber", "bonjour", "hello", "hi", "san", "sama", "kun", "chan",
    };

    private static readonly string[] Honorifics = ["御中", "さま", "様", "殿", "さん", "くん", "ちゃん", "先生", "氏"];

    private static readonly HashSet<string> Generic = new(StringComparer.Ordinal)
    {
        "customer", "customers", "member", "members", "guest", "guests", "user", "users", "valued", "client", "clients", "friend", "friends",
        "subscriber", "patient", "parent", "parents", "guardian", "family", "team", "support", "info", "office", "sir", "madam", "all",
        "everyone", "kunde", "kundin", "kunden", "mitglied", "mitglieder", "cliente", "adherent", "adhérent", "famille", "equipe", "équipe",
        "お客様", "会員", "会員様", "各位", "会員各位", "ご担当者", "担当者", "保護者", "保護者様", "ご家族", "家族", "皆様", "みなさま", "皆さま",
        "利用者", "患者", "ご利用者", "お得意様", "ファン", "サポーター", "事務局", "受付",
    };

    public static NameValue? Parse(string raw)
    {
        var text = TextNormalizer.Nfkc(raw).Trim();
        if (text.Length == 0 || text.Length > 60)
        {
            return null;
        }

        foreach (var h in Honorifics)
        {
            if (text.EndsWith(h, StringComparison.Ordinal) && text.Length > h.Length)
            {
                text = text[..^h.Length].TrimEnd();
                break;
            }
        }

        var script = ScriptOf(text);
        var tokens = new List<string>();
        // "KANEKO/ICHIRO MR": the airline form, surname first.
        var airline = script == NameScript.Latin && IsAirlineForm(text);
        foreach (var part in text.Split(airline ? [' ', ',', '/'] : [' ', '\u3000', ',', '、', '・', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var t = script == NameScript.Latin ? FoldLatin(part.Trim('.', '(', ')')) : part;
            if (t.Length > 0 && !(script == NameScript.Latin && Titles.Contains(t)))
            {
                tokens.Add(t);
            }
        }

        var key = TextNormalizer.Normalize(string.Concat(tokens));
        return tokens.Count == 0 || key.Length < 2 ? null : new NameValue(raw, key, tokens, script);
    }

    /// <summary>A value that can be a person's name: letters only, a few words, not "お客様" or "Valued customer".</summary>
    public static bool IsPlausible(string raw) => ParsePlausible(raw) is not null;

    /// <summary>The value as a name when it can be a person's name (see <see cref="IsPlausible"/>), else null.</summary>
    public static NameValue? ParsePlausible(string raw)
    {
        var t = raw.Trim();
        if (t.Length is 0 or > 60 || t.Contains('@') || t.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var c in t)
        {
            // Digits, money, and template syntax ({{name}}, -name-, %name%, *|NAME|*) are no one's name.
            if (char.IsDigit(c) || (c == '/' && !IsAirlineForm(t)) || c is '¥' or '$' or '€' or '£' or '%' or '#' or '|' or '!' or '?' or '「' or '」' or '！' or '？'
                or '{' or '}' or '[' or ']' or '<' or '>' or '=' or '_' or '*')
            {
                return null;
            }
        }

        if (t[0] == '-' || t[^1] == '-')
        {
            return null;
        }

        var name = Parse(t);
        if (name is null || name.Tokens.Count > 5)
        {
            return null;
        }

        var folded = TextNormalizer.Normalize(t);
        return !Generic.Contains(folded) && !name.Tokens.All(Generic.Contains) && !Generic.Contains(name.Key) ? name : null;
    }

    /// <summary>Are two names one person's? Unknown when they cannot be compared (other scripts, a surname alone).</summary>
    public static NameMatch Compare(NameValue a, NameValue b)
    {
        if (a.Key == b.Key)
        {
            return NameMatch.Same;
        }

        if (a.Script != b.Script)
        {
            return NameMatch.Unknown;
        }

        if (a.Script == NameScript.Latin)
        {
            var (small, large) = a.Tokens.Count <= b.Tokens.Count ? (a, b) : (b, a);
            if (small.Tokens.Count < 2)
            {
                return NameMatch.Unknown;
            }

            // Every part of the shorter name is in the longer one (an initial matches a part with that letter).
            foreach (var t in small.Tokens)
            {
                if (!large.Tokens.Contains(t) && !(t.Length == 1 && StartsAnyWith(large.Tokens, t[0])))
                {
                    return NameMatch.Different;
                }
            }

            return NameMatch.Same;
        }

        // Japanese: 佐藤 vs 佐藤美咲 is consistent but unproven; 佐藤健 vs 佐藤健一 are two people.
        if (!a.IsFull || !b.IsFull)
        {
            var (shortName, longName) = a.Key.Length <= b.Key.Length ? (a, b) : (b, a);
            return longName.Key.Contains(shortName.Key, StringComparison.Ordinal) ? NameMatch.Unknown : NameMatch.Different;
        }

        return NameMatch.Different;
    }

    /// <summary>
    /// Does an e-mail address's local part spell this (Latin) name? "taro.yamada", "yamada_taro88", "tyamada" do;
    /// anything else proves nothing (people choose any address).
    /// </summary>
    public static bool SpelledBy(NameValue name, string email) =>
        name.Script == NameScript.Latin && name.Tokens.Count >= 2 && SpelledByLetters(name, LocalPartAsciiLetters(email));

    /// <summary>The ASCII letters of an address's local part, lower case: what <see cref="SpelledBy"/> reads.</summary>
    internal static string LocalPartAsciiLetters(string email) => Letters(Domains.LocalPart(email));

    /// <summary><see cref="SpelledBy"/> with the local part's letters already taken (<see cref="LocalPartAsciiLetters"/>).</summary>
    internal static bool SpelledByLetters(NameValue name, string local)
    {
        if (name.Script != NameScript.Latin || name.Tokens.Count < 2)
        {
            return false;
        }

        // The surname is the longest part (of two letters or more) that the local part contains.
        string? surname = null;
        var longest = 0;
        foreach (var t in name.Tokens)
        {
            if (t.Length >= 2 && t.Length > longest && local.Contains(t, StringComparison.Ordinal))
            {
                (surname, longest) = (t, t.Length);
            }
        }

        if (surname is null)
        {
            return false;
        }

        // What is left must be the given name or its initial: "hannah.schulz" does not spell Anna Schulz.
        var rest = local.Replace(surname, "", StringComparison.Ordinal);
        foreach (var given in name.Tokens)
        {
            if (given != surname && (rest == Letters(given) || (rest.Length == 1 && rest[0] == given[0])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsAnyWith(IReadOnlyList<string> tokens, char first)
    {
        foreach (var t in tokens)
        {
            if (t[0] == first)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Local parts that spell this (Latin) name, letters only: "claire.dubois", "dubois_claire", "cdubois" all give
    /// "clairedubois", "duboisclaire" or "cdubois". Used to find which person of the batch an address belongs to.
    /// </summary>
    public IEnumerable<string> LocalPartForms()
    {
        if (Script == NameScript.Kana && Tokens.Count == 2)
        {
            // A reading (サトウ ミサキ) spells the address in romaji: satou.misaki, sato.misaki, msato.
            foreach (var (a, b) in KanaSpellings())
            {
                foreach (var form in Forms(a, b))
                {
                    yield return form;
                }
            }

            yield break;
        }

        if (Script != NameScript.Latin || Tokens.Count != 2)
        {
            yield break;
        }

        // "Müller" is spelled "muller" or, as Germans type it, "mueller".
        var spellings = new List<(string A, string B)> { (Letters(Tokens[0]), Letters(Tokens[1])) };
        if (!System.Text.Ascii.IsValid(Raw))
        {
            var raw = TextNormalizer.Nfkc(Raw).Split([' ', ',', '\u3000'], StringSplitOptions.RemoveEmptyEntries).Where(t => !Titles.Contains(FoldLatin(t.Trim('.')))).ToArray();
            if (raw.Length == 2)
            {
                spellings.Add((Letters(Transliterate(raw[0])), Letters(Transliterate(raw[1]))));
            }
        }

        foreach (var (a, b) in spellings.Distinct())
        {
            foreach (var form in Forms(a, b))
            {
                yield return form;
            }
        }
    }

    private static IEnumerable<string> Forms(string a, string b)
    {
        if (a.Length < 2 || b.Length < 2)
        {
            yield break;
        }

        yield return a + b;
        yield return b + a;
        yield return a[0] + b;
        yield return b[0] + a;
        yield return b + a[0];
        yield return a + b[0];
    }

    private IEnumerable<(string, string)> KanaSpellings()
    {
        if (KanaRomaji.ToRomaji(Tokens[0]) is not { } a || KanaRomaji.ToRomaji(Tokens[1]) is not { } b)
        {
            yield break;
        }

        yield return (a, b);
        var (shortA, shortB) = (KanaRomaji.DropLongVowels(a), KanaRomaji.DropLongVowels(b));
        if ((shortA, shortB) != (a, b))
        {
            yield return (shortA, shortB);
        }
    }

    private static string Transliterate(string s) =>
        FoldLatin(s.ToLowerInvariant().Replace("ä", "ae").Replace("ö", "oe").Replace("ü", "ue"));

    /// <summary>The letters of an address's local part, as <see cref="LocalPartForms"/> compares them.</summary>
    public static string LocalPartLetters(string email) => Letters(FoldLatin(Domains.LocalPart(email)));

    private static string Letters(string s)
    {
        var letters = 0;
        foreach (var c in s)
        {
            letters += char.IsAsciiLetter(c) ? 1 : 0;
        }

        return letters == s.Length ? s : string.Create(letters, s, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (char.IsAsciiLetter(c))
                {
                    span[i++] = c;
                }
            }
        });
    }

    /// <summary>"KANEKO/ICHIRO", "DUBOIS/CLAIRE MRS": one slash between two runs of letters, as airlines print names.</summary>
    internal static bool IsAirlineForm(string s)
    {
        var slash = s.IndexOf('/');
        return slash > 1 && slash == s.LastIndexOf('/') && slash < s.Length - 2 && char.IsAsciiLetter(s[slash - 1]) && char.IsAsciiLetter(s[slash + 1])
            && s.AsSpan().IndexOfAnyExcept(AirlineChars) < 0;
    }

    private static readonly System.Buffers.SearchValues<char> AirlineChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz /-'");

    internal static NameScript ScriptOf(string s)
    {
        var hasHan = false;
        var hasKana = false;
        foreach (var c in s)
        {
            // Hangul is read like Han: family name first, written without a space ("한예린"), full from three syllables.
            if (c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or '々' or >= '\uAC00' and <= '\uD7A3')
            {
                hasHan = true;
            }
            else if (c is >= '\u3040' and <= '\u30FF' or >= '\uFF66' and <= '\uFF9F')
            {
                hasKana = true;
            }
        }

        return hasHan ? NameScript.Han : hasKana ? NameScript.Kana : NameScript.Latin;
    }

    /// <summary>"Müller" → "muller", "Éloïse" → "eloise", "Straße" → "strasse".</summary>
    internal static string FoldLatin(string s)
    {
        if (System.Text.Ascii.IsValid(s))
        {
            return s.ToLowerInvariant();
        }

        var decomposed = s.ToLowerInvariant().Replace("ß", "ss").Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && c != '\'' && c != '’')
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
