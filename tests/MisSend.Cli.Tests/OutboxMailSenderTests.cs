using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;
using MisSend.Application.Ports;
using MisSend.Cli.Hosting;

namespace MisSend.Cli.Tests;

/// <summary>The outbox's .eml files, read back with MimeKit as a mail client would read them.</summary>
public sealed partial class OutboxMailSenderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("missend-outbox-").FullName;
    private readonly OutboxMailSender _sender;

    public OutboxMailSenderTests() => _sender = new OutboxMailSender(_dir, TimeProvider.System);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A notice as the dispatcher builds it: text and HTML by substitution, one personalization per person.</summary>
    private static string Notice(string toName, string subject) => new JsonObject
    {
        ["from"] = new JsonObject { ["email"] = "privacy@reds-seasonticket.example.jp", ["name"] = "浦和レッズ シーズンチケット事務局" },
        ["reply_to"] = new JsonObject { ["email"] = "privacy@reds-seasonticket.example.jp" },
        ["personalizations"] = new JsonArray(new JsonObject
        {
            ["to"] = new JsonArray(new JsonObject { ["email"] = "sato.misaki0001@example.jp", ["name"] = toName }),
            ["subject"] = subject,
            ["substitutions"] = new JsonObject
            {
                ["-notice-text-"] = "佐藤 美咲 様\n\nこのたびは、お客様の個人データ（氏名、請求金額）が他のお客様 3 名に届きました。重ねてお詫び申し上げます。",
                ["-notice-html-"] = "<p>佐藤 美咲 様</p><p>重ねてお詫び申し上げます。</p>",
            },
        }),
        ["content"] = new JsonArray(
            new JsonObject { ["type"] = "text/plain", ["value"] = "-notice-text-" },
            new JsonObject { ["type"] = "text/html", ["value"] = "-notice-html-" }),
        ["custom_args"] = new JsonObject { ["notice_wave"] = "0f3c9a7e5b2d4c6e8a1b3d5f7e9c2a4b", ["incident"] = "INC-0123456789AB" },
    }.ToJsonString();

    private const string LongSubject = "【重要】浦和レッズ シーズンチケット事務局より：お客様の個人データの漏えいに関するお詫びとご報告（2027シーズンチケット お支払いのご案内の誤送信について）";

    [Fact]
    public async Task A_notice_is_multipart_alternative_with_text_and_html_a_message_id_a_numeric_zone_date_and_folded_encoded_headers()
    {
        Assert.Equal(MailResult.Accepted, await _sender.SendAsync(Notice("佐藤 美咲", LongSubject), default));

        var file = Assert.Single(OutboxMailSender.OwnFiles(_dir));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("multipart/alternative", message.Body!.ContentType.MimeType);
        Assert.Contains("重ねてお詫び申し上げます。", message.TextBody);
        Assert.Contains("<p>佐藤 美咲 様</p>", message.HtmlBody ?? "");
        Assert.False(string.IsNullOrEmpty(message.MessageId));
        Assert.EndsWith("@reds-seasonticket.example.jp", message.MessageId);
        Assert.Equal(LongSubject, message.Subject);
        Assert.Equal("佐藤 美咲", ((MailboxAddress)message.To[0]).Name);
        Assert.Equal("INC-0123456789AB", message.Headers["X-Custom-Arg-incident"]);

        var raw = await File.ReadAllTextAsync(file, Encoding.ASCII);
        var headers = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.Matches(@"(?m)^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\r?$", headers);
        Assert.DoesNotContain("GMT", headers);
        Assert.Matches(@"(?m)^Subject: =\?utf-8\?", headers);
        // Folded: the long subject continues on lines of their own, and no line comes near RFC 5322's 998-character limit.
        Assert.Matches(@"(?m)^Subject: =\?utf-8\?[^\r\n]*\r\n =\?utf-8\?[^\r\n]*\r\n =\?utf-8\?", headers);
        Assert.All(headers.Split("\r\n"), line => Assert.True(line.Length <= 100, $"header line of {line.Length} characters: {line}"));
        Assert.True(Ascii.IsValid(raw), "the file is 7-bit: every non-ASCII header is RFC 2047-encoded");
    }

    [Fact]
    public async Task A_display_name_or_subject_with_CR_LF_cannot_add_a_header()
    {
        var notice = JsonNode.Parse(Notice("佐藤 美咲\r\nBcc: attacker@evil.example", "ご案内\r\nX-Injected: yes"))!;
        notice["custom_args"]!["incident"] = "INC-1\r\nX-Forged: yes";
        await _sender.SendAsync(notice.ToJsonString(), default);

        var message = await MimeMessage.LoadAsync(Assert.Single(OutboxMailSender.OwnFiles(_dir)));
        Assert.Empty(message.Bcc);
        Assert.Null(message.Headers["X-Injected"]);
        Assert.Null(message.Headers["X-Forged"]);
        Assert.DoesNotContain(message.Headers, h => h.Value.Contains("attacker@evil.example") && h.Id != HeaderId.To);
        Assert.Single(message.To.Mailboxes);
        Assert.Equal("sato.misaki0001@example.jp", message.To.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task File_names_carry_no_address_and_only_the_outboxs_own_files_are_cleared()
    {
        var batch = Batches.Mail(Batches.People(0, 3)).ToJsonString();
        await _sender.SendAsync(batch, default);
        var someoneElses = Path.Combine(_dir, "draft-to-sato.eml");
        await File.WriteAllTextAsync(someoneElses, "Subject: mine\r\n\r\nkeep me");

        var own = OutboxMailSender.OwnFiles(_dir).Select(Path.GetFileName).ToList();
        Assert.Equal(3, own.Count);
        Assert.All(own, name => Assert.Matches(OwnName(), name!));
        Assert.All(own, name => Assert.DoesNotContain("sato", name!, StringComparison.OrdinalIgnoreCase));

        Assert.Equal(3, OutboxMailSender.ClearOwnFiles(_dir));
        Assert.Empty(OutboxMailSender.OwnFiles(_dir));
        Assert.True(File.Exists(someoneElses));
    }

    [Fact]
    public async Task A_template_mail_shows_its_data_and_Email_Activity_is_answered_from_the_custom_args()
    {
        var mail = Batches.Mail(Batches.People(5, 1));
        mail["custom_args"] = new JsonObject { ["missend_attempt"] = "a1b2c3d4e5f60718293a4b5c6d7e8f90" };
        await _sender.SendAsync(mail.ToJsonString(), default);

        var message = await MimeMessage.LoadAsync(Assert.Single(OutboxMailSender.OwnFiles(_dir)));
        Assert.Contains("d-5f2c0c2e8b6a4a1e9d1c0a7b3e2f4a10", message.TextBody);
        Assert.Contains($"seat: {Batches.Person(5).Seat}", message.TextBody);
        Assert.Equal(ActivityAnswer.Found, await _sender.FindAcceptedAsync("missend_attempt", "a1b2c3d4e5f60718293a4b5c6d7e8f90", default));
        Assert.Equal(ActivityAnswer.NotFound, await _sender.FindAcceptedAsync("missend_attempt", "ffffffffffffffffffffffffffffffff", default));
    }

    [GeneratedRegex(@"^missend-\d{8}-\d{6}-\d{5}-[0-9a-f]{12}\.eml$")]
    private static partial Regex OwnName();
}
