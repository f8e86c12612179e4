using System.Text;
using MisSend.Application.Ports;
using MisSend.Core.Batches;

namespace MisSend.Cli.Hosting;

/// <summary>
/// The local demo's SendGrid (<c>--outbox</c>): every mail that would have been sent becomes one .eml file per
/// personalization, with its merge data applied, so a person can open exactly what each recipient would have received.
/// </summary>
public sealed class OutboxMailSender(string directory, TimeProvider time) : IMailSender
{
    private int _sequence;

    public string Directory => directory;

    public async Task<MailResult> SendAsync(string mailJson, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var mail = BatchParser.Parse(mailJson).Mail;
        var customArgs = CustomArgs(mailJson);
        foreach (var p in mail.Personalizations)
        {
            var n = Interlocked.Increment(ref _sequence);
            var name = $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{n:D5}-{Slug(p.To[0].Email)}.eml";
            await File.WriteAllTextAsync(Path.Combine(Directory, name), customArgs + Render(mail, p), ct);
        }

        return MailResult.Accepted;
    }

    public async Task<ActivityAnswer> FindAcceptedAsync(string customArgKey, string value, CancellationToken ct)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return ActivityAnswer.NotFound;
        }

        var header = $"X-Custom-Arg-{customArgKey}: {value}";
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.eml"))
        {
            if ((await File.ReadAllTextAsync(file, ct)).Contains(header, StringComparison.Ordinal))
            {
                return ActivityAnswer.Found;
            }
        }

        return ActivityAnswer.NotFound;
    }

    private static string CustomArgs(string mailJson) =>
        System.Text.Json.Nodes.JsonNode.Parse(mailJson)?["custom_args"] is System.Text.Json.Nodes.JsonObject args
            ? string.Concat(args.Select(a => $"X-Custom-Arg-{a.Key}: {a.Value}\r\n"))
            : "";

    public Task<string?> CreateBatchIdAsync(CancellationToken ct) => Task.FromResult<string?>("local-" + Guid.NewGuid().ToString("N"));

    public Task<MailResult> CancelScheduledAsync(string batchId, CancellationToken ct) => Task.FromResult(MailResult.Accepted);

    internal string Render(MailBody mail, Personalization p)
    {
        var subject = Merge(p.Subject ?? mail.Subject ?? $"(SendGrid template {mail.TemplateId})", p);
        var text = mail.Content.FirstOrDefault(c => !c.Type.Contains("html", StringComparison.OrdinalIgnoreCase))?.Text
            ?? mail.Content.FirstOrDefault()?.Text;
        var body = text is not null
            ? Merge(text, p)
            : $"SendGrid dynamic template {mail.TemplateId}, rendered by SendGrid with this data:\n\n"
              + string.Join('\n', p.Data.Select(kv => $"  {kv.Key}: {kv.Value}"));

        var sb = new StringBuilder();
        if (mail.From is { } from)
        {
            sb.Append("From: ").Append(Address(from)).Append("\r\n");
        }

        sb.Append("To: ").Append(string.Join(", ", p.To.Select(Address))).Append("\r\n");
        if (p.Cc.Count > 0)
        {
            sb.Append("Cc: ").Append(string.Join(", ", p.Cc.Select(Address))).Append("\r\n");
        }

        if (p.Bcc.Count > 0)
        {
            // Bcc is not a header a recipient sees; the outbox shows it so the demo can tell who else got the mail.
            sb.Append("X-Outbox-Bcc: ").Append(string.Join(", ", p.Bcc.Select(a => a.Email))).Append("\r\n");
        }

        sb.Append("Subject: ").Append(Encode(subject)).Append("\r\n")
          .Append("Date: ").Append(time.GetUtcNow().ToString("r")).Append("\r\n")
          .Append("MIME-Version: 1.0\r\n")
          .Append("Content-Type: text/plain; charset=utf-8\r\n")
          .Append("Content-Transfer-Encoding: base64\r\n\r\n")
          .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(body), Base64FormattingOptions.InsertLineBreaks)).Append("\r\n");
        return sb.ToString();
    }

    private static string Merge(string text, Personalization p)
    {
        foreach (var (key, value) in p.Data)
        {
            text = text.Replace(key, value, StringComparison.Ordinal).Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        return text;
    }

    private static string Address(EmailAddress a) => a.Name is { Length: > 0 } name ? $"{Encode(name)} <{a.Email}>" : a.Email;

    private static string Encode(string s) => Ascii.IsValid(s) ? s : $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(s))}?=";

    private static string Slug(string email) => new(email.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').Take(40).ToArray());
}
