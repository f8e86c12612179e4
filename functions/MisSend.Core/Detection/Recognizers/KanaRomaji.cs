using System.Text;

namespace MisSend.Core.Detection.Recognizers;

/// <summary>
/// Kana readings (フリガナ) in Hepburn romaji, as Japanese people spell their names in e-mail addresses: サトウ ミサキ →
/// "satou misaki", and with long vowels dropped, "sato misaki". Lets a kanji name be matched to a romanized address.
/// </summary>
public static class KanaRomaji
{
    private static readonly Dictionary<string, string> Syllables = Build();

    private static Dictionary<string, string> Build()
    {
        const string rows = "ア a,イ i,ウ u,エ e,オ o,カ ka,キ ki,ク ku,ケ ke,コ ko,サ sa,シ shi,ス su,セ se,ソ so,タ ta,チ chi,ツ tsu,テ te,ト to," +
            "ナ na,ニ ni,ヌ nu,ネ ne,ノ no,ハ ha,ヒ hi,フ fu,ヘ he,ホ ho,マ ma,ミ mi,ム mu,メ me,モ mo,ヤ ya,ユ yu,ヨ yo,ラ ra,リ ri,ル ru,レ re,ロ ro," +
            "ワ wa,ヲ o,ン n,ガ ga,ギ gi,グ gu,ゲ ge,ゴ go,ザ za,ジ ji,ズ zu,ゼ ze,ゾ zo,ダ da,ヂ ji,ヅ zu,デ de,ド do,バ ba,ビ bi,ブ bu,ベ be,ボ bo," +
            "パ pa,ピ pi,プ pu,ペ pe,ポ po,キャ kya,キュ kyu,キョ kyo,シャ sha,シュ shu,ショ sho,チャ cha,チュ chu,チョ cho,ニャ nya,ニュ nyu,ニョ nyo," +
            "ヒャ hya,ヒュ hyu,ヒョ hyo,ミャ mya,ミュ myu,ミョ myo,リャ rya,リュ ryu,リョ ryo,ギャ gya,ギュ gyu,ギョ gyo,ジャ ja,ジュ ju,ジョ jo," +
            "ビャ bya,ビュ byu,ビョ byo,ピャ pya,ピュ pyu,ピョ pyo,ヴ vu";
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in rows.Split(','))
        {
            var (kana, roma) = (pair[..pair.IndexOf(' ')], pair[(pair.IndexOf(' ') + 1)..]);
            map[kana] = roma;
        }

        return map;
    }

    /// <summary>Hepburn romaji of a katakana or hiragana word, or null when it holds anything else.</summary>
    public static string? ToRomaji(string kana)
    {
        var katakana = new StringBuilder(kana.Length);
        foreach (var c in kana)
        {
            katakana.Append(c is >= 'ぁ' and <= 'ゖ' ? (char)(c + 0x60) : c);
        }

        var s = katakana.ToString();
        var result = new StringBuilder(s.Length * 2);
        var doubleNext = false;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == 'ッ')
            {
                doubleNext = true;
                continue;
            }

            if (s[i] == 'ー')
            {
                if (result.Length > 0)
                {
                    result.Append(result[^1]);
                }

                continue;
            }

            var syllable = i + 1 < s.Length && Syllables.TryGetValue(s.Substring(i, 2), out var two) ? (two, 2)
                : Syllables.TryGetValue(s[i].ToString(), out var one) ? (one, 1)
                : (null, 0);
            if (syllable.Item1 is null)
            {
                return null;
            }

            if (doubleNext)
            {
                result.Append(syllable.Item1[0]);
                doubleNext = false;
            }

            result.Append(syllable.Item1);
            i += syllable.Item2 - 1;
        }

        return result.ToString();
    }

    /// <summary>Long vowels as most addresses write them: "satou" → "sato", "yuuto" → "yuto", "shouta" → "shota".</summary>
    public static string DropLongVowels(string romaji) =>
        romaji.Replace("ou", "o", StringComparison.Ordinal).Replace("oo", "o", StringComparison.Ordinal).Replace("uu", "u", StringComparison.Ordinal);
}
