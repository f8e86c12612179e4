namespace MisSend.TestSupport.Corpus;

/// <summary>A season-ticket holder as a batch builder would hold them.</summary>
public sealed record Person(
    int Id,
    string Sei,
    string Mei,
    string SeiRomaji,
    string MeiRomaji,
    string Email,
    string PostalCode,
    string Address,
    string Phone,
    string MemberNo,
    string Seat,
    string Amount)
{
    /// <summary>"佐藤 美咲"</summary>
    public string Name => $"{Sei} {Mei}";

    /// <summary>"Misaki Sato"</summary>
    public string Romaji => $"{MeiRomaji} {SeiRomaji}";
}

/// <summary>Deterministic Japanese test people: unique e-mail, phone and member number; shared seats, prices and surnames.</summary>
public static class JapanesePeople
{
    public static readonly (string Kanji, string Romaji)[] Surnames =
    [
        ("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"), ("伊藤", "Ito"),
        ("渡辺", "Watanabe"), ("山本", "Yamamoto"), ("中村", "Nakamura"), ("小林", "Kobayashi"), ("加藤", "Kato"),
        ("吉田", "Yoshida"), ("山田", "Yamada"), ("佐々木", "Sasaki"), ("山口", "Yamaguchi"), ("松本", "Matsumoto"),
        ("井上", "Inoue"), ("木村", "Kimura"), ("林", "Hayashi"), ("斎藤", "Saito"), ("清水", "Shimizu"),
        ("山崎", "Yamazaki"), ("森", "Mori"), ("池田", "Ikeda"), ("橋本", "Hashimoto"), ("阿部", "Abe"),
        ("石川", "Ishikawa"), ("山下", "Yamashita"), ("中島", "Nakajima"), ("石井", "Ishii"), ("小川", "Ogawa"),
    ];

    /// <summary>Includes names that are prefixes of others (健 / 健一, 美 / 美咲 style) on purpose.</summary>
    public static readonly (string Kanji, string Romaji)[] GivenNames =
    [
        ("美咲", "Misaki"), ("拓也", "Takuya"), ("舞", "Mai"), ("悠斗", "Yuto"), ("花子", "Hanako"),
        ("大輔", "Daisuke"), ("健", "Ken"), ("健一", "Kenichi"), ("陽菜", "Hina"), ("翔太", "Shota"),
        ("結衣", "Yui"), ("蓮", "Ren"), ("さくら", "Sakura"), ("隆", "Takashi"), ("奈々", "Nana"),
        ("彩", "Aya"), ("直樹", "Naoki"), ("由美子", "Yumiko"), ("誠", "Makoto"), ("愛", "Ai"),
        ("一郎", "Ichiro"), ("一", "Hajime"), ("真由美", "Mayumi"), ("浩", "Hiroshi"), ("恵", "Megumi"),
    ];

    public static readonly (string Seat, string Amount)[] Seats =
    [
        ("SS指定席", "¥98,000"), ("S指定席", "¥72,000"), ("A指定席", "¥54,000"), ("ゴール裏自由席", "¥38,500"),
        ("ファミリー席", "¥45,000"), ("バックスタンド自由席", "¥41,000"),
    ];

    private static readonly string[] Domains = ["example.jp", "example.ne.jp", "example.com", "mail.example.co.jp", "docomo.example.ne.jp"];

    private static readonly (string Prefix, string Postal, string Town)[] Towns =
    [
        ("埼玉県さいたま市浦和区", "330-0062", "仲町"), ("埼玉県さいたま市緑区", "336-0967", "美園"),
        ("東京都調布市", "182-0032", "西町"), ("千葉県船橋市", "273-0005", "本町"),
        ("神奈川県川崎市中原区", "211-0004", "新丸子東"), ("大阪府吹田市", "565-0826", "千里万博公園"),
    ];

    public static Person Make(int id, Random rng)
    {
        var (sei, seiR) = Surnames[rng.Next(Surnames.Length)];
        var (mei, meiR) = GivenNames[rng.Next(GivenNames.Length)];
        var (seat, amount) = Seats[rng.Next(Seats.Length)];
        var (prefix, postal, town) = Towns[rng.Next(Towns.Length)];
        var email = $"{seiR}.{meiR}{id:0000}@{Domains[id % Domains.Length]}".ToLowerInvariant();
        var address = $"{prefix}{town}{rng.Next(1, 5)}丁目{rng.Next(1, 30)}番{id % 97 + 1}号";
        var phone = $"090-{1000 + id / 9000 % 9000:0000}-{1000 + id % 9000:0000}";
        return new Person(id, sei, mei, seiR, meiR, email, postal, address, phone, $"RS-{2027000 + id}", seat, amount);
    }

    /// <summary><paramref name="count"/> people with ids starting at <paramref name="firstId"/>; same seed, same people.</summary>
    public static List<Person> Make(int count, int seed = 1, int firstId = 0)
    {
        var rng = new Random(seed);
        return Enumerable.Range(firstId, count).Select(i => Make(i, rng)).ToList();
    }

    /// <summary>Full-width form of ASCII text: "abc@x.jp" → "ａｂｃ＠ｘ．ｊｐ".</summary>
    public static string FullWidth(string ascii) =>
        string.Concat(ascii.Select(c => c is >= '!' and <= '~' ? (char)(c - '!' + '！') : c));
}
