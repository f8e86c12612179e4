using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;
using MisSend.Application.Ports;

namespace MisSend.Cli.Hosting;

/// <summary>
/// SendGrid for a machine without it (<c>--outbox</c>): every mail that would have been sent becomes one .eml file per
/// personalization, built with MimeKit, with its substitutions and template data applied, so a person can open exactly
/// what each recipient would have received. File names carry a sequence and a hash, never an address; only files named
/// like this are this sender's (<see cref="ClearOwnFiles"/> removes nothing else). MimeKit encodes every header, so a
/// CR or LF in a display name, subject or custom arg cannot start a header of its own.
/// </summary>
public sealed partial class OutboxMailSender(string directory, TimeProvider time) : IMailSender
{
    /// <summary>Where SendGrid's custom_args go, so that <see cref="FindAcceptedAsync"/> can answer as Email Activity would.</summary>
    public const string CustomArgHeaderPrefix = "X-Custom-Arg-";

    /// <summary>Internet messages end their lines with CRLF (RFC 5322), whatever the platform.</summary>
    private static readonly FormatOptions Crlf = new() { NewLineFormat = NewLineFormat.Dos };

    private int _sequence;

    public string Directory => directory;

    /// <summary>The .eml files this sender wrote in <paramref name="folder"/>.</summary>
    public static IEnumerable<string> OwnFiles(string folder) =>
        System.IO.Directory.Exists(folder) ? System.IO.Directory.EnumerateFiles(folder, "missend-*.eml").Where(f => OwnName().IsMatch(Path.GetFileName(f))).Order() : [];

    /// <summary>Removes the files this sender wrote; other files in the folder are left alone.</summary>
    public static int ClearOwnFiles(string folder)
    {
        var files = OwnFiles(folder).ToList();
        files.ForEach(File.Delete);
        return files.Count;
    }

    public async Task<MailResult> SendAsync(string mailJson, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var mail = JsonNode.Parse(mailJson)!.AsObject();
        foreach (var personalization in mail["personalizations"]!.AsArray().OfType<JsonObject>())
        {
            var message = Render(mail, personalization);
            var n = Interlocked.Increment(ref _sequence);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.MessageId!)))[..12];
            await message.WriteToAsync(Crlf, Path.Combine(Directory, $"missend-{time.GetUtcNow():yyyyMMdd-HHmmss}-{n:D5}-{hash}.eml"), ct);
        }

        return MailResult.Accepted;
    }

    public async Task<ActivityAnswer> FindAcceptedAsync(string customArgKey, string value, CancellationToken ct)
    {
        foreach (var file in OwnFiles(Directory))
        {
            var message = await MimeMessage.LoadAsync(file, ct);
            if (message.Headers[CustomArgHeaderPrefix + HeaderName(customArgKey)] == value)
            {
                return ActivityAnswer.Found;
            }
        }

        return ActivityAnswer.NotFound;
    }

    public Task<string?> CreateBatchIdAsync(CancellationToken ct) => Task.FromResult<string?>("local-" + Guid.NewGuid().ToString("N"));

    public Task<MailResult> CancelScheduledAsync(string batchId, CancellationToken ct) => Task.FromResult(MailResult.Accepted);

    /// <summary>The mail one personalization's recipients would receive.</summary>
    public MimeMessage Render(JsonObject mail, JsonObject personalization)
    {
        var substitutions = Strings(personalization["substitutions"]);
        var data = Strings(personalization["dynamic_template_data"]);
        string Merge(string text, bool html) =>
            data.Aggregate(substitutions.Aggregate(text, (t, s) => t.Replace(s.Key, s.Value, StringComparison.Ordinal)),
                (t, d) => t.Replace("{{" + d.Key + "}}", html ? WebUtility.HtmlEncode(d.Value) : d.Value, StringComparison.Ordinal));

        var message = new MimeMessage { Date = time.GetUtcNow(), Subject = Merge(Text(personalization["subject"]) ?? Text(mail["subject"]) ?? $"(SendGrid template {Text(mail["template_id"])})", html: false) };
        var from = Address(mail["from"]);
        if (from is not null)
        {
            message.From.Add(from);
        }

        message.ReplyTo.AddRange(Addresses(mail["reply_to_list"]).Append(Address(mail["reply_to"])).OfType<MailboxAddress>());
        message.To.AddRange(Addresses(personalization["to"]));
        message.Cc.AddRange(Addresses(personalization["cc"]));
        message.Bcc.AddRange(Addresses(personalization["bcc"]));
        message.MessageId = MimeUtils.GenerateMessageId(from?.Domain is { Length: > 0 } domain ? domain : "outbox.invalid");
        foreach (var (key, value) in Strings(mail["custom_args"]).Concat(Strings(personalization["custom_args"])))
        {
            message.Headers.Add(CustomArgHeaderPrefix + HeaderName(key), value);
        }

        var content = (mail["content"] as JsonArray ?? []).OfType<JsonObject>().Select(c => (Type: Text(c["type"]) ?? "text/plain", Value: Text(c["value"]) ?? "")).ToList();
        var body = new BodyBuilder
        {
            TextBody = content.FirstOrDefault(c => c.Type.Equals("text/plain", StringComparison.OrdinalIgnoreCase)).Value is { } text ? Merge(text, html: false) : null,
            HtmlBody = content.FirstOrDefault(c => c.Type.Equals("text/html", StringComparison.OrdinalIgnoreCase)).Value is { } html ? Merge(html, html: true) : null,
        };
        if (content.Count == 0)
        {
            body.TextBody = $"SendGrid dynamic template {Text(mail["template_id"])}, rendered by SendGrid with this data:\n\n" + string.Join('\n', data.Select(d => $"  {d.Key}: {d.Value}"));
        }

        foreach (var attachment in (mail["attachments"] as JsonArray ?? []).OfType<JsonObject>())
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(Text(attachment["content"]) ?? "");
            }
            catch (FormatException)
            {
                bytes = [];
            }

            body.Attachments.Add(Text(attachment["filename"]) ?? "attachment", bytes, ContentType.Parse(Text(attachment["type"]) ?? "application/octet-stream"));
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    private static MailboxAddress? Address(JsonNode? node) =>
        node is JsonObject o && Text(o["email"]) is { Length: > 0 } email && MailboxAddress.TryParse(email, out var parsed)
            ? new MailboxAddress(Text(o["name"]) ?? "", parsed.Address)
            : null;

    private static IEnumerable<MailboxAddress> Addresses(JsonNode? node) => (node as JsonArray ?? []).Select(Address).OfType<MailboxAddress>();

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    /// <summary>Top-level string values (nested template data shows as JSON).</summary>
    private static List<KeyValuePair<string, string>> Strings(JsonNode? node) =>
        (node as JsonObject ?? []).Select(kv => KeyValuePair.Create(kv.Key, Text(kv.Value) ?? "")).ToList();

    private static string HeaderName(string key) => NotHeaderName().Replace(key, "-");

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex NotHeaderName();

    [GeneratedRegex(@"^missend-\d{8}-\d{6}-\d{5}-[0-9a-f]{12}\.eml$")]
    private static partial Regex OwnName();
}
