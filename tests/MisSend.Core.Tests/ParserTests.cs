using System.Text;
using System.Text.Json.Nodes;
using MisSend.Core.Batches;
using MisSend.TestSupport.Corpus;
using static MisSend.TestSupport.Corpus.Bodies;

namespace MisSend.Core.Tests;

public sealed class ParserTests
{
    private static readonly List<Person> People = JapanesePeople.Make(3, seed: 11);

    [Fact]
    public void Bare_body_is_a_job_of_one_chunk()
    {
        var batch = BatchParser.Parse(Json(Mail(PerRecipient(People))));
        Assert.False(batch.IsEnvelope);
        Assert.Null(batch.JobId);
        Assert.Equal((1, 1), (batch.Chunk, batch.ChunkCount));
        Assert.Same(BatchPolicy.Default, batch.Policy);
        Assert.Equal(3, batch.Mail.Personalizations.Count);
        Assert.Equal(FromEmail, batch.Mail.From!.Email);
        Assert.Equal(People[1].Email, batch.Mail.Personalizations[1].To[0].Email);
        Assert.Equal($"{People[1].Name} 様", batch.Mail.Personalizations[1].To[0].Name);
    }

    [Fact]
    public void Envelope_carries_job_chunk_policy_and_the_mail_json()
    {
        var json = Envelope(Mail(PerRecipient(People)), new JsonObject
        {
            ["personalFields"] = new JsonArray("seat"), ["subjectKeyField"] = "member_no", ["internalDomains"] = new JsonArray("@Club-Ops.Example.JP"),
            ["language"] = "en", ["holdMinutes"] = 15, ["contactEmail"] = "privacy@example.jp",
        }, jobId: "renewal-2027", chunk: 2, chunkCount: 3);
        var batch = BatchParser.Parse(json);
        Assert.True(batch.IsEnvelope);
        Assert.Equal(("renewal-2027", 2, 3), (batch.JobId, batch.Chunk, batch.ChunkCount));
        Assert.Equal(["seat"], batch.Policy.PersonalFields);
        Assert.Equal("member_no", batch.Policy.SubjectKeyField);
        Assert.Equal(["club-ops.example.jp"], batch.Policy.InternalDomains);
        Assert.Equal(("en", 15), (batch.Policy.Language, batch.Policy.HoldMinutes));
        Assert.Equal(3, BatchParser.Parse(batch.MailJson).Mail.Personalizations.Count);
    }

    [Fact]
    public void Dynamic_template_data_nested_objects_and_arrays_flatten_to_key_paths()
    {
        var data = new JsonObject
        {
            ["customer"] = new JsonObject { ["name"] = "佐藤 美咲", ["address"] = new JsonObject { ["zip"] = "330-0062" } },
            ["tickets"] = new JsonArray(new JsonObject { ["seat"] = "SS指定席", ["price"] = 98000 }, "予備"),
            ["vip"] = true,
            ["none"] = null,
        };
        var p = BatchParser.Parse(Json(Mail([P(To(People[0]), data)]))).Mail.Personalizations[0];
        var map = p.Data.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("佐藤 美咲", map["customer.name"]);
        Assert.Equal("330-0062", map["customer.address.zip"]);
        Assert.Equal("SS指定席", map["tickets[0].seat"]);
        Assert.Equal("98000", map["tickets[0].price"]);
        Assert.Equal("予備", map["tickets[1]"]);
        Assert.Equal(5, map.Count);
    }

    [Fact]
    public void Legacy_substitutions_become_data()
    {
        var p = BatchParser.Parse(Json(Mail([P(To(People[0]), substitutions: new JsonObject { ["-name-"] = "佐藤 美咲", ["%amount%"] = "¥98,000" })])))
            .Mail.Personalizations[0];
        Assert.Contains(new KeyValuePair<string, string>("-name-", "佐藤 美咲"), p.Data);
        Assert.Contains(new KeyValuePair<string, string>("%amount%", "¥98,000"), p.Data);
    }

    [Fact]
    public void Personalization_subject_overrides_the_top_level_one()
    {
        var mail = BatchParser.Parse(Json(Mail([P(To(People[0]), subject: "佐藤 美咲様 更新完了"), P(To(People[1]))], subject: "更新のご案内"))).Mail;
        Assert.Equal("更新のご案内", mail.Subject);
        Assert.Equal("佐藤 美咲様 更新完了", mail.Personalizations[0].Subject);
        Assert.Null(mail.Personalizations[1].Subject);
    }

    [Fact]
    public void Html_content_is_stripped_and_entities_decoded()
    {
        var mail = BatchParser.Parse(Json(Mail(PerRecipient(People), content:
        [
            ("text/plain", "a &amp; b"),
            ("text/html", "<style>p{color:red}</style><p>&#12354;&#x3044; 佐藤&amp;鈴木 &lt;様&gt;</p><script>var x='&#12354;';</script>"),
        ]))).Mail;
        Assert.Equal("a &amp; b", mail.Content[0].Text);
        var html = mail.Content[1].Text;
        Assert.Contains("あい 佐藤&鈴木 <様>", html);
        Assert.DoesNotContain("color", html);
        Assert.DoesNotContain("var x", html);
        Assert.DoesNotContain("<p>", html);
    }

    [Fact]
    public void Csv_attachments_decode_from_utf8_and_shift_jis_and_binary_is_ignored()
    {
        const string csv = "氏名,住所\n佐藤 美咲,〒330-0062 埼玉県さいたま市浦和区仲町１丁目\n";
        var mail = BatchParser.Parse(Json(Mail(PerRecipient(People), attachments:
        [
            Attachment("utf8.csv", "text/csv", Encoding.UTF8.GetBytes("\uFEFF" + csv)),
            Attachment("sjis.csv", "text/csv", ShiftJis(csv)),
            Attachment("noext", "application/vnd.ms-excel", ShiftJis(csv)),
            Attachment("list.CSV", "application/octet-stream", ShiftJis(csv)),
            Attachment("map.pdf", "application/pdf", [0x25, 0x50, 0x44, 0x46, 0xFF, 0x00]),
            Attachment("page.html", "text/html", Encoding.UTF8.GetBytes("<b>佐藤 &amp; 鈴木</b>")),
        ]))).Mail;
        Assert.Equal(csv, mail.Attachments[0].Text);
        Assert.Equal(csv, mail.Attachments[1].Text);
        Assert.Null(mail.Attachments[2].Text);
        Assert.Equal(csv, mail.Attachments[3].Text);
        Assert.Null(mail.Attachments[4].Text);
        Assert.Equal(" 佐藤 & 鈴木 ", mail.Attachments[5].Text);
    }

    [Fact]
    public void Invalid_base64_in_a_text_attachment_is_a_format_error()
    {
        var mail = Mail(PerRecipient(People));
        mail["attachments"] = new JsonArray(new JsonObject { ["filename"] = "a.csv", ["type"] = "text/csv", ["content"] = "not base64!!" });
        var e = Assert.Throws<BatchFormatException>(() => BatchParser.Parse(Json(mail)));
        Assert.Contains("attachments[0].content", e.Message);
    }

    [Fact]
    public void Sendgrid_library_bodies_parse()
    {
        var msg = SendGrid.Helpers.Mail.MailHelper.CreateSingleEmailToMultipleRecipients(
            new SendGrid.Helpers.Mail.EmailAddress(FromEmail, FromName),
            People.Select(p => new SendGrid.Helpers.Mail.EmailAddress(p.Email, p.Name)).ToList(), "件名", "本文", "<p>本文</p>", showAllRecipients: true);
        var mail = BatchParser.Parse(msg.Serialize()).Mail;
        var only = Assert.Single(mail.Personalizations);
        Assert.Equal(3, only.To.Count);
        Assert.Equal(2, mail.Content.Count);
    }
}

public sealed class ParserVisibleFieldsTests
{
    private static readonly List<Person> People = JapanesePeople.Make(2, seed: 12);

    [Fact]
    public void Reply_to_list_and_mail_and_personalization_headers_are_parsed()
    {
        var mail = Mail(PerRecipient(People));
        mail["reply_to"] = Addr("support@reds-seasonticket.example.jp", "サポート");
        mail["reply_to_list"] = new JsonArray(Addr("a@example.jp"), Addr("b@example.jp", "B"));
        mail["headers"] = new JsonObject { ["X-Campaign"] = "renewal-2027", ["X-Count"] = 3 };
        mail["personalizations"]![1]!["headers"] = new JsonObject { ["X-Member"] = People[1].MemberNo };
        mail["custom_args"] = new JsonObject { ["internal_id"] = "not seen by recipients" };

        var parsed = BatchParser.Parse(Json(mail)).Mail;

        Assert.Equal("support@reds-seasonticket.example.jp", parsed.ReplyTo!.Email);
        Assert.Equal(["a@example.jp", "b@example.jp"], parsed.ReplyToList.Select(a => a.Email));
        Assert.Equal([new("X-Campaign", "renewal-2027"), new KeyValuePair<string, string>("X-Count", "3")], parsed.Headers);
        Assert.Empty(parsed.Personalizations[0].Headers);
        Assert.Equal(People[1].MemberNo, Assert.Single(parsed.Personalizations[1].Headers).Value);
    }

    [Fact]
    public void Policy_relationships_are_read_and_unknown_roles_refused()
    {
        var policy = BatchParser.Parse(Envelope(Mail(PerRecipient(People)), new JsonObject
        {
            ["relationships"] = new JsonObject { ["pupil"] = "dependant", ["gift_to"] = "ship-to", ["club"] = "organisation" },
        })).Policy;
        Assert.Equal(PartyRole.Dependant, policy.Relationships["Pupil"]);
        Assert.Equal(PartyRole.ShipTo, policy.Relationships["gift_to"]);
        Assert.Equal(PartyRole.Organisation, policy.Relationships["club"]);

        var e = Assert.Throws<BatchFormatException>(() => BatchParser.Parse(Envelope(Mail(PerRecipient(People)),
            new JsonObject { ["relationships"] = new JsonArray("pupil") })));
        Assert.Contains("policy.relationships must be an object", e.Message);
    }

    [Fact]
    public void A_body_over_sendgrids_limits_parses_so_that_it_can_be_scanned()
    {
        var many = JapanesePeople.Make(1001, seed: 13);
        var parsed = BatchParser.Parse(Json(Mail(many.Select(p => P(Addr(p.Email))))));
        Assert.Equal(1001, parsed.Mail.Personalizations.Count);
    }

    [Fact]
    public void Html_tables_keep_one_row_per_line()
    {
        var text = BatchParser.HtmlToText("<table><tr><td>佐藤 美咲</td><td>090-1234-5678</td></tr><tr><td>鈴木 拓也</td><td>080-2345-6789</td></tr></table>");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Length > 0).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("佐藤 美咲", lines[0]);
        Assert.Contains("080-2345-6789", lines[1]);
    }
}
