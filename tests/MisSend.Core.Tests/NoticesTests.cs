using System.Text.Json.Nodes;
using MisSend.Core.Detection;
using MisSend.Core.Notices;
using MisSend.Core.Reports;

namespace MisSend.Core.Tests;

/// <summary>Issue 4: the pure parts of the notices — rendering, confirmation tokens, the report.</summary>
public sealed class NoticesTests
{
    private static readonly DateTimeOffset SentAt = new(2026, 11, 20, 1, 5, 0, TimeSpan.Zero); // 10:05 JST
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3)).ToArray();

    private static IncidentFacts Facts() => new("INC-ABC123", "浦和レッズ シーズンチケット事務局", "privacy@reds.example.jp", SentAt,
        ["送信ジョブを停止しました。"], ["We halted the send job."]);

    private static readonly DataCategory[] Categories = [DataCategory.Name, DataCategory.Address, DataCategory.Amount];

    [Fact]
    public void Japanese_apology_calls_it_a_leak_of_personal_data_and_names_the_categories_count_and_time()
    {
        var n = new NoticeRenderer().Render(Facts(), new NoticeTarget(NoticeKind.Apology, "sato@example.jp", "ja", Categories, 213, 0));

        Assert.Equal("【重要・お詫び】お客様の個人情報漏えいについて（浦和レッズ シーズンチケット事務局）", n.Subject);
        Assert.DoesNotContain("誤送信", n.Subject);
        Assert.DoesNotContain("誤送信", n.Text);
        Assert.Contains("個人情報の漏えいが発生しました", n.Text);
        Assert.Contains("個人データ", n.Text);
        Assert.Contains("漏えいした情報: 氏名、住所、請求金額", n.Text);
        Assert.Contains("お客様以外の 213 名", n.Text);
        Assert.Contains("2026年11月20日 10:05（日本時間）", n.Text);
        Assert.Contains("・送信ジョブを停止しました。", n.Text);
        Assert.Contains("privacy@reds.example.jp", n.Text);
        Assert.Contains("INC-ABC123", n.Text);
        Assert.DoesNotContain("sato@example.jp", n.Text);
        Assert.StartsWith("<!DOCTYPE html>", n.Html);
        Assert.Contains("個人情報の漏えい", n.Html);
    }

    [Fact]
    public void English_apology_says_leak_of_personal_data()
    {
        var n = new NoticeRenderer().Render(Facts(), new NoticeTarget(NoticeKind.Apology, "a@example.com", "en", Categories, 5, 0));

        Assert.StartsWith("Important: a leak of your personal data", n.Subject);
        Assert.Contains("This is a leak of personal data", n.Text);
        Assert.Contains("reached 5 people other than you", n.Text);
        Assert.Contains("Data disclosed: name, postal address, amount due", n.Text);
        Assert.Contains("20 November 2026, 10:05 (JST)", n.Text);
        Assert.Contains("  - We halted the send job.", n.Text);
        Assert.DoesNotContain("mis-send", n.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("ja", "213 通", "（2026年12月20日 10:05（日本時間）まで有効）")]
    [InlineData("en", "sent you 213 e-mail(s)", "(valid until 20 December 2026, 10:05 (JST))")]
    public void Delete_request_asks_to_delete_unread_with_a_clickable_confirmation_link(string language, string count, string validity)
    {
        var url = "https://mis-send.example.net/api/confirm?token=abc.def";
        var n = new NoticeRenderer().Render(Facts(), new NoticeTarget(NoticeKind.DeleteRequest, "r@example.jp", language, Categories, 0, 213, url, SentAt.AddDays(30)));

        Assert.Contains(count, n.Text);
        Assert.Contains(validity, n.Text);
        Assert.Contains("\n" + url + "\n", n.Text);
        Assert.Contains($"<a href=\"{url}\">{url}</a>", n.Html);
        Assert.Contains(language == "ja" ? "開封せず、転送せずに削除" : "without opening or forwarding", n.Text);
        Assert.DoesNotContain("誤送信", n.Subject);
        Assert.Contains(language == "ja" ? "削除のお願い" : "please delete", n.Subject);
    }

    [Fact]
    public void Html_part_encodes_the_organization()
    {
        var facts = Facts() with { Organization = "<b>Reds</b> & Co" };
        var n = new NoticeRenderer().Render(facts, new NoticeTarget(NoticeKind.Apology, "x@example.com", "en", Categories, 1, 0));
        Assert.Contains("&lt;b&gt;Reds&lt;/b&gt; &amp; Co", n.Html);
        Assert.DoesNotContain("<b>Reds</b>", n.Html);
    }

    [Fact]
    public void Token_round_trips_and_expires()
    {
        var claims = new ConfirmationToken.Claims("INC-1", "abcdef0123456789abcdef01", SentAt.AddDays(30));
        var token = ConfirmationToken.Create(claims, Key);

        Assert.DoesNotContain("@", token);
        Assert.Equal((claims, (string?)null), ConfirmationToken.Validate(token, Key, SentAt));
        Assert.Equal(claims, ConfirmationToken.Validate(token, Key, claims.ExpiresAt).Claims);
        Assert.Equal((null, "expired"), ConfirmationToken.Validate(token, Key, claims.ExpiresAt.AddSeconds(1)));
    }

    [Fact]
    public void Forged_altered_or_malformed_tokens_are_refused()
    {
        var token = ConfirmationToken.Create(new("INC-1", "alice", SentAt.AddDays(30)), Key);
        var other = ConfirmationToken.Create(new("INC-1", "bob", SentAt.AddDays(30)), Key);
        var (payload, signature) = (token.Split('.')[0], token.Split('.')[1]);

        Assert.Equal("invalid signature", ConfirmationToken.Validate(other.Split('.')[0] + "." + signature, Key, SentAt).Error);
        Assert.Equal("invalid signature", ConfirmationToken.Validate(payload + "." + (signature[0] == 'A' ? 'B' : 'A') + signature[1..], Key, SentAt).Error);
        Assert.Equal("invalid signature", ConfirmationToken.Validate(token, new byte[32], SentAt).Error);
        Assert.Equal("invalid signature", ConfirmationToken.Validate(payload + ".", Key, SentAt).Error);
        Assert.Equal("malformed token", ConfirmationToken.Validate(null, Key, SentAt).Error);
        Assert.Equal("malformed token", ConfirmationToken.Validate("abc", Key, SentAt).Error);
        Assert.Equal("malformed token", ConfirmationToken.Validate(token + ".x", Key, SentAt).Error);
        Assert.Equal("malformed token", ConfirmationToken.Validate(payload + ".!!!", Key, SentAt).Error);
    }

    private static IncidentReport Report(int apologiesPending = 0, int unreachable = 0) => new(
        "INC-XYZ", "job-2027-renewal", "detector", "notified", "visible-recipients", "浦和レッズ", "privacy@reds.example.jp",
        [
            new(SentAt, TimelineEvents.FirstSend, "job job-2027-renewal"),
            new(SentAt.AddMinutes(2), TimelineEvents.Detection, "chunk 2"),
            new(SentAt.AddMinutes(2), TimelineEvents.Halt, "3 chunks quarantined"),
            new(SentAt.AddMinutes(3), TimelineEvents.NoticeWave, "212 × apology"),
        ],
        new ReportScope(212, 213, 45156, [DataCategory.Name, DataCategory.Email, DataCategory.Amount], 10, unreachable, 1, 3),
        [new ReportFinding(2, "visible-recipients", 0, 213, [DataCategory.Email], "213 outside recipients in to/cc of personalization 0")],
        new NoticeProgress(212 - apologiesPending, apologiesPending, 213, 0, 0));

    [Fact]
    public void Japanese_report_has_every_APPI_section_and_the_numbers()
    {
        var md = IncidentReportRenderer.ToMarkdown(Report(), "ja");

        Assert.StartsWith("# 個人データ漏えい等事案 報告書 INC-XYZ\n", md);
        var headings = md.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["## 1. 概要", "## 2. 経緯（タイムライン）", "## 3. 漏えいした個人データの項目", "## 4. 対象人数", "## 5. 原因", "## 6. 二次被害又はそのおそれの有無",
            "## 7. 本人への対応", "## 8. 公表", "## 9. 実施済みの措置と再発防止策", "## 10. 報告項目との対応"], headings);
        Assert.Contains("212 名の個人データ（氏名、メールアドレス、請求金額）が本人以外の 213 名に届きました。これは個人データの漏えいです。", md);
        Assert.Contains("| 2026年11月20日 10:05（日本時間） | 初回送信 | job job-2027-renewal |", md);
        Assert.Contains("| 2026年11月20日 10:08（日本時間） | 通知送信 | 212 × apology |", md);
        Assert.Contains("誤って受け取った方: 213 名（未開封削除の確認済み 10 名、未確認 203 名）", md);
        Assert.Contains("- 誤送付の件数: 45156 件", md);
        Assert.Contains("- チャンク 2, `visible-recipients` (personalization 0): 213 outside recipients", md);
        Assert.Contains("登録理由: visible-recipients", md);
        Assert.Contains("未開封削除の確認が取れていない受信者は 203 名です。", md);
        Assert.Contains("影響を受けた全員に、お詫びと削除のお願いをメールで送付しました（各人 1 回）。", md);
        Assert.Contains("送信ジョブ全体を停止し、未送信の 3 チャンクを隔離しました。", md);
        Assert.Contains("「誤送信」ではなく個人データの漏えいとして公表", md);
        Assert.Contains("| 本人の数 | 4 |", md);
    }

    [Fact]
    public void Report_does_not_claim_everyone_was_told_while_notices_are_pending_or_subjects_unreachable()
    {
        var md = IncidentReportRenderer.ToMarkdown(Report(apologiesPending: 12, unreachable: 2), "ja");
        Assert.DoesNotContain("影響を受けた全員に", md);
        Assert.Contains("お詫びを 200 名、削除のお願いを 213 名にメールで送付しました（各人 1 回）。", md);
        Assert.Contains("未送信の 12 名には送信を続けています。", md);
        Assert.Contains("連絡先が不明な本人 2 名には、お詫びをお送りできていません。", md);

        var en = IncidentReportRenderer.ToMarkdown(Report(apologiesPending: 12), "en");
        Assert.DoesNotContain("Everyone affected", en);
        Assert.Contains("12 notices are not sent yet", en);
    }

    [Fact]
    public void English_report_and_JSON_carry_the_GDPR_Article_33_items()
    {
        var md = IncidentReportRenderer.ToMarkdown(Report(), "en");
        Assert.StartsWith("# Personal data breach report INC-XYZ\n", md);
        Assert.Contains("the personal data (name, e-mail address, amount due) of 212 people reached 213 people", md);
        Assert.Contains("| (b) contact point | header |", md);
        Assert.Contains("- Contact: privacy@reds.example.jp", md);

        var json = JsonNode.Parse(IncidentReportRenderer.ToJson(Report()))!;
        Assert.Equal(["name", "email", "amount"], json["appi"]!["dataItems"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["visible-recipients"], json["appi"]!["cause"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(212, json["appi"]!["numberOfPeople"]!["dataSubjects"]!.GetValue<int>());
        Assert.Equal(213, json["appi"]!["numberOfPeople"]!["wrongRecipients"]!.GetValue<int>());
        Assert.Equal(212, json["appi"]!["responseToIndividuals"]!["apologiesSent"]!.GetValue<int>());
        var gdpr = json["gdprArticle33"]!;
        Assert.Equal(212, gdpr["approximateNumberOfDataSubjects"]!.GetValue<int>());
        Assert.Equal(45156, gdpr["approximateNumberOfRecords"]!.GetValue<int>());
        Assert.Equal("privacy@reds.example.jp", gdpr["contactPoint"]!.GetValue<string>());
        Assert.Contains("personal data breach", gdpr["natureOfBreach"]!.GetValue<string>());
        Assert.Contains("phishing", gdpr["likelyConsequences"]!.GetValue<string>());
        Assert.Contains("halted", gdpr["measuresTaken"]!.GetValue<string>());
        Assert.Equal(203, json["recipientsStillHolding"]!.GetValue<int>());
        Assert.Equal(["email"], json["report"]!["cause"]![0]!["categories"]!.AsArray().Select(x => x!.GetValue<string>()));
    }
}
