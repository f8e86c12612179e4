using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MisSend.TestSupport.Corpus;

/// <summary>Small builders for SendGrid v3 mail/send bodies and queue envelopes (raw JSON, for cases the SendGrid helpers cannot express).</summary>
public static class Bodies
{
    public const string ClubDomain = "reds-seasonticket.example.jp";
    public static readonly string FromEmail = $"ticket@{ClubDomain}";
    public const string FromName = "浦和レッズ シーズンチケット事務局";
    public const string Due = "2027年1月15日";
    public const string Venue = "埼玉スタジアム2002";

    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonObject Addr(string email, string? name = null)
    {
        var o = new JsonObject { ["email"] = email };
        if (name is not null)
        {
            o["name"] = name;
        }

        return o;
    }

    public static JsonObject To(Person p, string? displayName = null) => Addr(p.Email, displayName ?? $"{p.Name} 様");

    /// <summary>The payment-guide merge data of one holder.</summary>
    public static JsonObject Guide(Person p, bool email = true, bool address = false)
    {
        var d = new JsonObject { ["name"] = p.Name };
        if (email)
        {
            d["email"] = p.Email;
        }

        d["member_no"] = p.MemberNo;
        d["seat"] = p.Seat;
        d["amount"] = p.Amount;
        d["due"] = Due;
        d["venue"] = Venue;
        if (address)
        {
            d["postal_code"] = "〒" + p.PostalCode;
            d["address"] = p.Address;
            d["tel"] = p.Phone;
        }

        return d;
    }

    public static JsonObject P(JsonObject to, JsonObject? data = null, string? subject = null, JsonObject[]? cc = null, JsonObject[]? bcc = null, JsonObject? substitutions = null)
    {
        var p = new JsonObject { ["to"] = new JsonArray(to) };
        if (cc is { Length: > 0 })
        {
            p["cc"] = new JsonArray(cc.Select(JsonNode (c) => c).ToArray());
        }

        if (bcc is { Length: > 0 })
        {
            p["bcc"] = new JsonArray(bcc.Select(JsonNode (c) => c).ToArray());
        }

        if (subject is not null)
        {
            p["subject"] = subject;
        }

        if (data is not null)
        {
            p["dynamic_template_data"] = data;
        }

        if (substitutions is not null)
        {
            p["substitutions"] = substitutions;
        }

        return p;
    }

    public static JsonObject Mail(IEnumerable<JsonObject> personalizations, string? subject = "2027シーズンチケット お支払いのご案内",
        IEnumerable<(string Type, string Value)>? content = null, IEnumerable<JsonObject>? attachments = null, string? templateId = "d-5f2c0c2e8b6a4a1e9d1c0a7b3e2f4a10")
    {
        var m = new JsonObject
        {
            ["from"] = Addr(FromEmail, FromName),
            ["personalizations"] = new JsonArray(personalizations.Select(JsonNode (p) => p).ToArray()),
        };
        if (subject is not null)
        {
            m["subject"] = subject;
        }

        if (templateId is not null)
        {
            m["template_id"] = templateId;
        }

        if (content is not null)
        {
            m["content"] = new JsonArray(content.Select(JsonNode (c) => new JsonObject { ["type"] = c.Type, ["value"] = c.Value }).ToArray());
        }

        if (attachments is not null)
        {
            m["attachments"] = new JsonArray(attachments.Select(JsonNode (a) => a).ToArray());
        }

        return m;
    }

    public static JsonObject Attachment(string fileName, string type, byte[] bytes) => new()
    {
        ["content"] = Convert.ToBase64String(bytes),
        ["type"] = type,
        ["filename"] = fileName,
        ["disposition"] = "attachment",
    };

    public static byte[] ShiftJis(string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932).GetBytes(text);
    }

    public static string Envelope(JsonObject mail, JsonObject? policy = null, string jobId = "job-2027-guide", int chunk = 1, int chunkCount = 1)
    {
        var e = new JsonObject { ["jobId"] = jobId, ["chunk"] = chunk, ["chunkCount"] = chunkCount, ["mail"] = mail };
        if (policy is not null)
        {
            e["policy"] = policy;
        }

        return Json(e);
    }

    public static string Json(JsonNode node) => node.ToJsonString(Options);

    /// <summary>One clean personalization per holder: their own address, their own data.</summary>
    public static List<JsonObject> PerRecipient(IEnumerable<Person> people, bool email = true, bool address = false, Func<Person, string?>? subject = null) =>
        people.Select(p => P(To(p), Guide(p, email, address), subject?.Invoke(p))).ToList();

    /// <summary>A pasted roster: one line per person with name, e-mail and amount.</summary>
    public static string Roster(IEnumerable<Person> people, string separator = ",") =>
        "氏名" + separator + "メールアドレス" + separator + "席種" + separator + "金額\n"
        + string.Concat(people.Select(p => $"{p.Name}{separator}{p.Email}{separator}{p.Seat}{separator}{p.Amount}\n"));
}
