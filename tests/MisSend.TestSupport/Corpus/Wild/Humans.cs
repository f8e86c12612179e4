namespace MisSend.TestSupport.Corpus.Wild;

/// <summary>A customer, patient, pupil or employee as a sender's database holds them, in one of four languages.</summary>
public sealed record Human(
    string Lang,
    int Id,
    string Given,
    string Family,
    string Email,
    string Mobile,
    string Street,
    string Postal,
    string City,
    string BirthDate,
    string CustomerNo,
    string Iban,
    string Card,
    string? Kana = null)
{
    /// <summary>As the language writes it: "佐藤 美咲", "Claire Dubois".</summary>
    public string FullName => Lang == "ja" ? $"{Family} {Given}" : $"{Given} {Family}";

    /// <summary>As a display name on the envelope: "佐藤 美咲 様", "Claire Dubois".</summary>
    public string Display => Lang == "ja" ? $"{Family} {Given} 様" : FullName;

    public string Address => Lang switch
    {
        "ja" => $"〒{Postal} {City}{Street}",
        "de" => $"{Street}, {Postal} {City}",
        "fr" => $"{Street}, {Postal} {City}",
        _ => $"{Street}, {City} {Postal}",
    };
}

/// <summary>Deterministic people per language, with public-mailbox and carrier addresses as real customers have.</summary>
public static class Humans
{
    private static readonly Dictionary<string, (string[] Given, string[] Family, string[] Domains)> Names = new()
    {
        ["ja"] = (
            ["美咲", "拓也", "舞", "悠斗", "花子", "大輔", "健", "健一", "陽菜", "翔太", "結衣", "蓮", "さくら", "隆", "奈々", "彩", "直樹", "由美子", "誠", "愛"],
            ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水"],
            ["gmail.com", "yahoo.co.jp", "docomo.ne.jp", "ezweb.ne.jp", "icloud.com", "softbank.ne.jp", "outlook.jp", "i.softbank.jp"]),
        ["en"] = (
            ["Emily", "James", "Olivia", "Jack", "Sophie", "Harry", "Grace", "Thomas", "Chloe", "Daniel", "Hannah", "Samuel", "Lucy", "Oliver", "Megan", "Ryan"],
            ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green"],
            ["gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "btinternet.com", "aol.com"]),
        ["de"] = (
            ["Anna", "Lukas", "Sophie", "Jonas", "Marie", "Felix", "Lena", "Paul", "Laura", "Maximilian", "Julia", "Leon", "Hannah", "Finn", "Lea", "Tim"],
            ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann"],
            ["gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de", "freenet.de", "outlook.de"]),
        ["fr"] = (
            ["Claire", "Louis", "Camille", "Hugo", "Léa", "Jules", "Chloé", "Gabriel", "Manon", "Arthur", "Inès", "Lucas", "Emma", "Nathan", "Zoé", "Théo"],
            ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Fournier"],
            ["orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr", "hotmail.fr", "wanadoo.fr"]),
    };

    private static readonly string[] Kana = ["ミサキ", "タクヤ", "マイ", "ユウト", "ハナコ", "ダイスケ", "ケン", "ケンイチ", "ヒナ", "ショウタ", "ユイ", "レン", "サクラ", "タカシ", "ナナ", "アヤ", "ナオキ", "ユミコ", "マコト", "アイ"];
    private static readonly string[] KanaFamily = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ", "カトウ", "ヨシダ", "ヤマダ", "ササキ", "ヤマグチ", "マツモト", "イノウエ", "キムラ", "ハヤシ", "サイトウ", "シミズ"];
    private static readonly string[] Romaji = ["misaki", "takuya", "mai", "yuto", "hanako", "daisuke", "ken", "kenichi", "hina", "shota", "yui", "ren", "sakura", "takashi", "nana", "aya", "naoki", "yumiko", "makoto", "ai"];
    private static readonly string[] RomajiFamily = ["sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura", "kobayashi", "kato", "yoshida", "yamada", "sasaki", "yamaguchi", "matsumoto", "inoue", "kimura", "hayashi", "saito", "shimizu"];

    private static readonly (string Postal, string City, string Street)[] JaTowns =
    [
        ("330-0062", "埼玉県さいたま市浦和区", "仲町{0}丁目{1}番{2}号"), ("182-0032", "東京都調布市", "西町{0}-{1}-{2}"),
        ("273-0005", "千葉県船橋市", "本町{0}丁目{1}番{2}号"), ("211-0004", "神奈川県川崎市中原区", "新丸子東{0}-{1}-{2}"),
        ("565-0826", "大阪府吹田市", "千里万博公園{0}-{1}"), ("460-0008", "愛知県名古屋市中区", "栄{0}丁目{1}番{2}号"),
    ];

    private static readonly (string Postal, string City, string Street)[] DeTowns =
    [
        ("10115", "Berlin", "Invalidenstraße {0}"), ("80331", "München", "Sendlinger Straße {0}"), ("50667", "Köln", "Hohe Straße {0}"),
        ("20095", "Hamburg", "Mönckebergstraße {0}"), ("60311", "Frankfurt am Main", "Berliner Straße {0}"),
    ];

    private static readonly (string Postal, string City, string Street)[] FrTowns =
    [
        ("75002", "Paris", "{0} rue de la Paix"), ("69002", "Lyon", "{0} rue de la République"), ("13001", "Marseille", "{0} rue Paradis"),
        ("31000", "Toulouse", "{0} rue d'Alsace-Lorraine"), ("33000", "Bordeaux", "{0} cours de l'Intendance"),
    ];

    private static readonly (string Postal, string City, string Street)[] EnTowns =
    [
        ("SW1A 1AA", "London", "{0} Whitehall Place"), ("M1 1AE", "Manchester", "{0} Portland Street"), ("EH1 1YZ", "Edinburgh", "{0} Princes Street"),
        ("B1 1BB", "Birmingham", "{0} Broad Street"), ("LS1 4DY", "Leeds", "{0} Park Row"),
    ];

    /// <summary><paramref name="count"/> people of <paramref name="lang"/>; the same arguments give the same people.</summary>
    public static List<Human> Make(string lang, int count, int seed, int firstId = 0)
    {
        var rng = new Random(seed);
        var (given, family, domains) = Names[lang];
        var people = new List<Human>(count);
        for (var id = firstId; id < firstId + count; id++)
        {
            var g = rng.Next(given.Length);
            var f = rng.Next(family.Length);
            var domain = domains[id % domains.Length];
            var (local, kana) = lang == "ja"
                ? ($"{RomajiFamily[f]}.{Romaji[g]}{id % 100:00}", $"{KanaFamily[f]} {Kana[g]}")
                : ($"{Fold(given[g])}.{Fold(family[f])}{id % 100:00}", null);
            var (postal, city, street) = (lang switch { "ja" => JaTowns, "de" => DeTowns, "fr" => FrTowns, _ => EnTowns })[rng.Next(5)];
            var streetLine = string.Format(street, rng.Next(1, 5), rng.Next(1, 30), id % 40 + 1);
            people.Add(new Human(lang, id, given[g], family[f], $"{local}@{domain}", Mobile(lang, id), streetLine, postal, city,
                $"{1950 + rng.Next(55)}-{rng.Next(1, 13):00}-{rng.Next(1, 29):00}", CustomerNo(lang, id), Iban(lang, id), Card(id), kana));
        }

        return people;
    }

    private static string Fold(string s) =>
        new string(s.ToLowerInvariant().Replace("ü", "ue").Replace("ö", "oe").Replace("ä", "ae").Replace("ß", "ss")
            .Normalize(System.Text.NormalizationForm.FormD).Where(c => c < 128 && char.IsLetter(c)).ToArray());

    private static string Mobile(string lang, int id) => lang switch
    {
        "ja" => $"090-{2000 + id / 100:0000}-{3000 + id % 7000:0000}",
        "de" => $"0151 {2345 + id:0000}{6789 % 10000:0000}",
        "fr" => $"06 {12 + id / 100 % 80:00} {34 + id % 60:00} {56 + id % 40:00} {78 - id % 70:00}",
        _ => $"07700 {900000 + id % 1000:000000}",
    };

    private static string CustomerNo(string lang, int id) => lang switch
    {
        "ja" => $"C-{4100000 + id * 37}",
        "de" => $"KD-{7300000 + id * 41}",
        "fr" => $"CL{5200000 + id * 43}",
        _ => $"AC{8800000 + id * 47}",
    };

    /// <summary>A well-formed IBAN with valid check digits (ISO 13616 mod 97).</summary>
    public static string Iban(string lang, int id)
    {
        var (country, bban) = lang switch
        {
            "de" => ("DE", $"50010517{1234567890L + id * 17:0000000000}"),
            "fr" => ("FR", $"20041010050500013{id * 7 % 1000000:000000}M0268"),
            "en" => ("GB", $"NWBK601613{31926819 + id * 3:00000000}"),
            _ => ("JP", ""),
        };
        if (bban.Length == 0)
        {
            return $"普通 {1234567 + id * 11:0000000}";
        }

        var numeric = string.Concat((bban + country + "00").Select(c => char.IsLetter(c) ? (c - 'A' + 10).ToString() : c.ToString()));
        var remainder = numeric.Aggregate(0, (r, c) => (r * 10 + (c - '0')) % 97);
        var check = 98 - remainder;
        var compact = $"{country}{check:00}{bban}";
        return string.Join(' ', Enumerable.Range(0, (compact.Length + 3) / 4).Select(i => compact.Substring(i * 4, Math.Min(4, compact.Length - i * 4))));
    }

    /// <summary>A Luhn-valid Visa-shaped test number.</summary>
    public static string Card(int id)
    {
        var body = $"4111{(11111111111 + id * 7919L) % 100000000000:00000000000}";
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }

            sum += d;
        }

        var full = body + ((10 - sum % 10) % 10);
        return $"{full[..4]} {full[4..8]} {full[8..12]} {full[12..]}";
    }
}
