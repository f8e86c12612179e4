using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MisSend.Benchmarks;

/// <summary>A season-ticket holder as a batch builder holds them.</summary>
public sealed record Holder(
    int Id, string Name, string Email, string MemberNo, string PostalCode, string Address, string Phone, string Seat, string Amount);

/// <summary>
/// Deterministic Japanese batches in the SendGrid v3 mail/send shape (envelope with jobId/chunk/chunkCount): names,
/// 〒 postal codes, addresses and phone numbers partly in 全角 digits, ¥ amounts. Same arguments, same bytes.
/// </summary>
public static class JapaneseBatches
{
    private static readonly string[] Surnames =
    [
        "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本",
        "井上", "木村", "林", "斎藤", "清水", "山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
    ];

    private static readonly string[] SurnameRomaji =
    [
        "sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura", "kobayashi", "kato", "yoshida", "yamada",
        "sasaki", "yamaguchi", "matsumoto", "inoue", "kimura", "hayashi", "saito", "shimizu", "yamazaki", "mori", "ikeda", "hashimoto",
        "abe", "ishikawa", "yamashita", "nakajima", "ishii", "ogawa",
    ];

    private static readonly string[] GivenNames =
    [
        "美咲", "拓也", "舞", "悠斗", "花子", "大輔", "健", "健一", "陽菜", "翔太", "結衣", "蓮", "さくら", "隆", "奈々",
        "彩", "直樹", "由美子", "誠", "愛", "一郎", "一", "真由美", "浩", "恵",
    ];

    private static readonly (string Seat, string Amount)[] Seats =
    [
        ("SS指定席", "¥98,000"), ("S指定席", "¥72,000"), ("A指定席", "¥54,000"), ("ゴール裏自由席", "¥38,500"),
        ("ファミリー席", "￥45,000"), ("バックスタンド自由席", "¥41,000"),
    ];

    private static readonly (string Prefix, string Postal)[] Towns =
    [
        ("埼玉県さいたま市浦和区仲町", "330-0062"), ("埼玉県さいたま市緑区美園", "336-0967"), ("東京都調布市西町", "182-0032"),
        ("千葉県船橋市本町", "273-0005"), ("神奈川県川崎市中原区新丸子東", "211-0004"), ("大阪府吹田市千里万博公園", "565-0826"),
    ];

    private static readonly string[] Domains = ["example.jp", "example.ne.jp", "example.com", "mail.example.co.jp", "docomo.example.ne.jp"];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Holder number <paramref name="id"/>: unique e-mail, phone and member number; shared surnames, seats and prices.</summary>
    public static Holder Make(int id)
    {
        var rng = new Random(id * 7919 + 17);
        var s = rng.Next(Surnames.Length);
        var given = GivenNames[rng.Next(GivenNames.Length)];
        var (seat, amount) = Seats[rng.Next(Seats.Length)];
        var (town, postal) = Towns[rng.Next(Towns.Length)];
        var fullWidth = id % 3 == 0; // a third of the rows were typed in 全角
        var block = $"{rng.Next(1, 5)}丁目{rng.Next(1, 30)}番{id % 97 + 1}号";
        var phone = $"090-{1000 + id / 9000 % 9000:0000}-{1000 + id % 9000:0000}";
        return new Holder(
            id,
            $"{Surnames[s]} {given}",
            $"{SurnameRomaji[s]}.{id:000000}@{Domains[id % Domains.Length]}",
            $"RS-{2027000 + id}",
            fullWidth ? "〒" + FullWidth(postal) : "〒" + postal,
            town + (fullWidth ? FullWidth(block) : block),
            fullWidth ? FullWidth(phone).Replace('－', 'ー') : phone,
            seat,
            amount);
    }

    public static List<Holder> Holders(int count, int firstId = 0) => Enumerable.Range(firstId, count).Select(Make).ToList();

    /// <summary>The clean case: one personalization per holder, holding that holder's own data.</summary>
    public static byte[] Clean(int count, int firstId = 0, string jobId = "reds-2027-payment-guide", int chunk = 1, int chunkCount = 1)
    {
        var holders = Holders(count, firstId);
        return Envelope(jobId, chunk, chunkCount, holders.Select(h => (To: h, Bcc: (IReadOnlyList<Holder>)[], Data: h)).ToList());
    }

    /// <summary>
    /// The incident replay (as samples/incident-replay.json): <paramref name="count"/> personalizations, each bcc'd to the
    /// other <paramref name="count"/> - 1 holders, so everyone receives everyone's guide. 30 × 30 = 900 recipients stays within
    /// SendGrid's 1000 recipients per request.
    /// </summary>
    public static byte[] Replay(int count = 30)
    {
        var holders = Holders(count);
        return Envelope("reds-2027-payment-guide-replay", 1, 1,
            holders.Select(h => (To: h, Bcc: (IReadOnlyList<Holder>)holders.Where(o => o.Id != h.Id).ToList(), Data: h)).ToList());
    }

    /// <summary>Rows shifted by one (the FC Tokyo case): personalization i goes to holder i with holder i+1's data.</summary>
    public static byte[] RowsShifted(int count)
    {
        var holders = Holders(count);
        return Envelope("fc-renewal-2027", 1, 1,
            holders.Select((h, i) => (To: h, Bcc: (IReadOnlyList<Holder>)[], Data: holders[(i + 1) % count])).ToList());
    }

    /// <summary>A job of <paramref name="chunks"/> clean chunks of <paramref name="perChunk"/> distinct holders each.</summary>
    public static byte[][] Job(string jobId, int chunks, int perChunk) =>
        Enumerable.Range(1, chunks).Select(c => Clean(perChunk, (c - 1) * perChunk, jobId, c, chunks)).ToArray();

    private static byte[] Envelope(string jobId, int chunk, int chunkCount, List<(Holder To, IReadOnlyList<Holder> Bcc, Holder Data)> rows)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("jobId", jobId);
            w.WriteNumber("chunk", chunk);
            w.WriteNumber("chunkCount", chunkCount);
            w.WriteStartObject("policy");
            w.WriteString("language", "ja");
            w.WriteString("contactEmail", "privacy@reds-seasonticket.example.jp");
            w.WriteEndObject();
            w.WriteStartObject("mail");
            w.WriteStartObject("from");
            w.WriteString("email", "ticket@reds-seasonticket.example.jp");
            w.WriteString("name", "浦和レッズ シーズンチケット事務局");
            w.WriteEndObject();
            w.WriteString("template_id", "d-5f2c0c2e8b6a4a1e9d1c0a7b3e2f4a10");
            w.WriteString("subject", "2027シーズンチケット お支払いのご案内");
            w.WriteStartArray("personalizations");
            foreach (var (to, bcc, d) in rows)
            {
                w.WriteStartObject();
                w.WriteStartArray("to");
                WriteAddress(w, to.Email, to.Name + " 様");
                w.WriteEndArray();
                if (bcc.Count > 0)
                {
                    w.WriteStartArray("bcc");
                    foreach (var b in bcc)
                    {
                        WriteAddress(w, b.Email, null);
                    }

                    w.WriteEndArray();
                }

                w.WriteString("subject", $"{d.Name}様 2027シーズンチケット お支払いのご案内");
                w.WriteStartObject("dynamic_template_data");
                w.WriteString("name", d.Name);
                w.WriteString("email", d.Email);
                w.WriteString("member_no", d.MemberNo);
                w.WriteString("postal_code", d.PostalCode);
                w.WriteString("address", d.Address);
                w.WriteString("phone", d.Phone);
                w.WriteString("seat", d.Seat);
                w.WriteString("amount", d.Amount);
                w.WriteString("due", "2026年12月15日");
                w.WriteString("venue", "埼玉スタジアム2002");
                w.WriteStartObject("bank");
                w.WriteString("name", "みずほ銀行 浦和支店");
                w.WriteString("account", "普通 1234567");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("content");
            w.WriteStartObject();
            w.WriteString("type", "text/html");
            w.WriteString("value",
                "<html><body><p>{{name}} 様</p><p>2027シーズンチケットのお支払いについてご案内いたします。</p>" +
                "<table><tr><th>席種</th><td>{{seat}}</td></tr><tr><th>金額</th><td>{{amount}}</td></tr><tr><th>期限</th><td>{{due}}</td></tr></table>" +
                "<p>お問い合わせ: 浦和レッズ シーズンチケット事務局 ticket@reds-seasonticket.example.jp TEL 0570-000-111（平日10:00〜17:00）</p>" +
                "<p>〒330-0062 埼玉県さいたま市浦和区仲町１丁目１番１００号</p></body></html>");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteAddress(Utf8JsonWriter w, string email, string? name)
    {
        w.WriteStartObject();
        w.WriteString("email", email);
        if (name is not null)
        {
            w.WriteString("name", name);
        }

        w.WriteEndObject();
    }

    /// <summary>"090-1234" → "０９０－１２３４".</summary>
    public static string FullWidth(string ascii) =>
        string.Concat(ascii.Select(c => c is >= '!' and <= '~' ? (char)(c - '!' + '！') : c));

    /// <summary>The JSON as a string, for the queue-message path.</summary>
    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
