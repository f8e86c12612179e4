using System.Text.Json;
using System.Text.Json.Nodes;

namespace MisSend.TestSupport;

/// <summary>A season-ticket holder as a batch builder would know them, found again by their index.</summary>
public sealed record Holder(int Index, string Name, string Email, string MemberNo, string Seat, string Amount, string Address);

/// <summary>
/// Realistic Japanese payment-guide batches for the pipeline tests (names, 〒 addresses, ¥ amounts): people come from an
/// index, so a test can name who received whose data.
/// </summary>
public static class Batches
{
    private static readonly (string Kanji, string Romaji)[] Surnames =
    [
        ("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"), ("伊藤", "ito"),
        ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"), ("小林", "kobayashi"), ("加藤", "kato"),
        ("吉田", "yoshida"), ("山田", "yamada"), ("佐々木", "sasaki"), ("山口", "yamaguchi"), ("松本", "matsumoto"),
    ];

    private static readonly (string Kanji, string Romaji)[] GivenNames =
    [
        ("美咲", "misaki"), ("拓也", "takuya"), ("陽菜", "hina"), ("大翔", "hiroto"), ("結衣", "yui"), ("蓮", "ren"),
        ("葵", "aoi"), ("湊", "minato"), ("さくら", "sakura"), ("悠真", "yuma"), ("凛", "rin"), ("健太", "kenta"),
        ("奈々", "nana"), ("隆", "takashi"), ("彩", "aya"),
    ];

    private static readonly (string Seat, string Amount)[] Seats =
        [("SS指定席", "¥98,000"), ("S指定席", "¥72,000"), ("A指定席", "¥54,000"), ("ゴール裏自由席", "¥38,500")];

    private static readonly string[] Domains = ["example.jp", "example.ne.jp", "mail.example.co.jp", "example.com"];

    private static readonly string[] Towns = ["さいたま市浦和区高砂", "さいたま市緑区美園", "川口市本町", "越谷市南越谷", "東京都北区赤羽"];

    public static Holder Person(int i)
    {
        var (surname, sr) = Surnames[i % Surnames.Length];
        var (given, gr) = GivenNames[i / Surnames.Length % GivenNames.Length];
        var (seat, amount) = Seats[i * 7 % Seats.Length];
        return new Holder(i, $"{surname} {given}", $"{sr}.{gr}{i:D4}@{Domains[i % Domains.Length]}", $"RS-{2026000 + i}", seat, amount,
            $"〒{330 + i % 60:D3}-{(i * 37 + 11) % 10000:D4} 埼玉県{Towns[i % Towns.Length]}{1 + i % 5}-{1 + i % 20}-{1 + i % 30}");
    }

    public static IEnumerable<Holder> People(int from, int count) => Enumerable.Range(from, count).Select(Person);

    /// <summary>
    /// A SendGrid mail/send body: one personalization per recipient carrying <paramref name="dataFor"/>'s data (their own by default).
    /// Without <paramref name="identity"/> there are no display names and no name or e-mail in the data: only the member number says whose it is.
    /// </summary>
    public static JsonObject Mail(IEnumerable<Holder> recipients, Func<Holder, Holder>? dataFor = null, bool identity = true)
    {
        var personalizations = new JsonArray();
        foreach (var r in recipients)
        {
            var d = dataFor?.Invoke(r) ?? r;
            var data = new JsonObject();
            if (identity)
            {
                data["name"] = d.Name;
                data["email"] = d.Email;
            }

            data["member_no"] = d.MemberNo;
            data["seat"] = d.Seat;
            data["amount"] = d.Amount;
            data["address"] = d.Address;
            data["due"] = "2026年12月15日";
            data["venue"] = "埼玉スタジアム2002";
            var to = new JsonObject { ["email"] = r.Email };
            if (identity)
            {
                to["name"] = r.Name;
            }

            personalizations.Add(new JsonObject { ["to"] = new JsonArray(to), ["dynamic_template_data"] = data });
        }

        return new JsonObject
        {
            ["from"] = new JsonObject { ["email"] = "ticket@reds-seasonticket.example.jp", ["name"] = "浦和レッズ シーズンチケット事務局" },
            ["template_id"] = "d-5f2c0c2e8b6a4a1e9d1c0a7b3e2f4a10",
            ["subject"] = "2027シーズンチケット お支払いのご案内",
            ["personalizations"] = personalizations,
        };
    }

    /// <summary>The incident itself: the first guide is bcc'd to every other recipient of the batch.</summary>
    public static JsonObject LeakByBcc(JsonObject mail)
    {
        var ps = mail["personalizations"]!.AsArray();
        var bcc = new JsonArray();
        foreach (var p in ps.Skip(1))
        {
            bcc.Add(new JsonObject { ["email"] = p!["to"]![0]!["email"]!.GetValue<string>() });
        }

        ps[0]!["bcc"] = bcc;
        return mail;
    }

    public static string Envelope(string jobId, int chunk, int chunkCount, JsonObject mail, JsonObject? policy = null)
    {
        var envelope = new JsonObject
        {
            ["jobId"] = jobId,
            ["chunk"] = chunk,
            ["chunkCount"] = chunkCount,
            ["policy"] = policy ?? new JsonObject { ["language"] = "ja", ["contactEmail"] = "privacy@reds-seasonticket.example.jp" },
            ["mail"] = mail.DeepClone(),
        };
        return envelope.ToJsonString(Json);
    }

    public static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string NewJobId() => "job-" + Guid.NewGuid().ToString("N")[..12];
}
