using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using static MisSend.Core.Tests.IncidentFixtures;

namespace MisSend.Core.Tests;

/// <summary>Issue 11 §4: notices a Japanese customer would respect, that never claim a step not taken.</summary>
public sealed class NoticesTests
{
    private const string Incident = "INC-7F3KQ2M9X4AB";
    private static readonly IncidentFacts Detected = new(Incident, [Rules.SharedPersonalData], null, StepState.Done);
    private static readonly string Token = ConfirmationToken.Create(new(Incident, RecipientKey.For("hanako.sato@example.ne.jp", Key), SentAt.AddDays(30)), Key);

    private static ApologyTarget Apology(string language = "ja", string? name = "山田 太郎", StepState deleteRequests = StepState.Done, params DataCategory[] categories) =>
        new(language, name, categories.Length > 0 ? categories : GuideCategories, 212, SentAt, deleteRequests);

    private static DeleteRequestTarget DeleteRequest(string language = "ja", string? name = null, int mails = 212, string? subject = "2027シーズンチケット お支払いのご案内（山*** 様）") =>
        new(language, name, subject, SentAt, mails, Token, SentAt.AddDays(30));

    [Fact]
    public void Japanese_apology_is_addressed_by_name_says_what_why_and_what_was_done_and_apologises_again()
    {
        var n = Renderer().Render(Detected, Apology());

        Assert.Equal("【お詫び】お客様の個人情報の漏えいについて（浦和レッズ シーズンチケット事務局）", n.Subject);
        Assert.StartsWith("山田 太郎 様\n\n", n.Text);
        Assert.Contains("個人データの漏えいが発生いたしました", n.Text);
        Assert.Contains("2026年11月20日 10:05（日本時間）に当事務局から送信したメールにより、お客様の次の情報が、お客様以外の212名の方に届きました。", n.Text);
        Assert.Contains("・届いた情報：メールアドレス、氏名、席種、請求金額", n.Text);
        Assert.Contains("■ 原因\n" + RuleCatalog.Get(Rules.SharedPersonalData).CauseJa + "\n", n.Text);
        Assert.Contains("・該当する送信を停止し、未送信のメールの配信を取りやめました。", n.Text);
        Assert.Contains("・お客様の情報を受け取った方に、メールを開封せずに削除していただくよう、お願いいたしました。", n.Text);
        Assert.Contains("電話：048-555-0123（受付時間：平日 10:00〜17:00（土日祝日を除く））", n.Text);
        Assert.Contains("メール：privacy@reds-seasonticket.example.jp", n.Text);
        Assert.Contains($"番号「{Incident}」", n.Text);
        Assert.Contains("重ねてお詫び申し上げます。", n.Text);
        Assert.EndsWith("浦和レッズ シーズンチケット事務局\n", n.Text);
        foreach (var wrong in new[] { "当方", "誤送信", "お客様各位", Rules.SharedPersonalData })
        {
            Assert.DoesNotContain(wrong, n.Text);
        }
    }

    [Fact]
    public void A_company_speaks_of_itself_as_弊社()
    {
        var company = new NoticeRenderer(Options.Create(Sender().With(s => s.Style = SenderStyle.Company)));
        var n = company.Render(Detected, Apology());
        Assert.Contains("弊社から送信したメール", n.Text);
        Assert.Contains("■ 弊社の対応", n.Text);
        Assert.DoesNotContain("当事務局", n.Text);
    }

    [Theory]
    [InlineData("ja", "山田 太郎", "山田 太郎 様\n")]
    [InlineData("ja", null, "お客様\n")]
    [InlineData("en", "Taro Yamada", "Dear Taro Yamada,\n")]
    [InlineData("en", null, "Dear customer,\n")]
    public void Salutation_names_the_reader_and_falls_back_only_when_the_name_is_unknown(string language, string? name, string salutation)
    {
        Assert.StartsWith(salutation, Renderer().Render(Detected, Apology(language, name)).Text);
        Assert.StartsWith(salutation, Renderer().Render(Detected, DeleteRequest(language, name)).Text);
    }

    [Fact]
    public void Apology_does_not_claim_delete_requests_that_were_not_sent()
    {
        var ja = Renderer().Render(Detected, Apology(deleteRequests: StepState.Planned)).Text;
        Assert.DoesNotContain("お願いいたしました", ja);
        Assert.Contains("・お客様の情報を受け取った方に、メールを削除していただくようお願いいたします（手配中）。", ja);

        var en = Renderer().Render(Detected, Apology("en", deleteRequests: StepState.Planned)).Text;
        Assert.DoesNotContain("We have asked", en);
        Assert.Contains("- We are arranging to ask everyone who received your data to delete the e-mail.", en);

        var done = Renderer().Render(Detected, Apology("en")).Text;
        Assert.Contains("- We have asked everyone who received your data to delete the e-mail without opening it.", done);
        Assert.DoesNotContain("arranging", done);
    }

    [Fact]
    public void Apology_mentions_stopping_the_send_only_when_it_was_stopped()
    {
        var allSent = Detected with { SendingHalted = StepState.NotApplicable };
        var ja = Renderer().Render(allSent, Apology(deleteRequests: StepState.NotApplicable)).Text;
        Assert.DoesNotContain("停止", ja);
        Assert.DoesNotContain("■ 当事務局の対応", ja); // nothing was done yet: no section claims anything

        var asked = Renderer().Render(allSent, Apology()).Text;
        Assert.DoesNotContain("停止", asked);
        Assert.Contains("■ 当事務局の対応\n・お客様の情報を受け取った方に、メールを開封せずに削除していただくよう、お願いいたしました。\n", asked);

        var en = Renderer().Render(allSent, Apology("en")).Text;
        Assert.DoesNotContain("We stopped the send", en);
        Assert.DoesNotContain("stop the send", en);
        Assert.Contains("■ What we have done\n- We have asked everyone", en);
    }

    [Theory]
    [InlineData(null, "原因は現在調査しております。")]
    [InlineData(ScopeDeclarationKind.Everyone, "お一人おひとりにお送りすべきメールが、同じ送信で他のお客様全員にも送られていました。")]
    [InlineData(ScopeDeclarationKind.Shifted, "宛先の一覧と差し込むデータの行がずれ、別のお客様の情報が差し込まれていました。")]
    [InlineData(ScopeDeclarationKind.List, "原因は現在調査しております。")]
    public void Reported_incidents_explain_the_cause_from_the_declaration_or_say_it_is_being_investigated(ScopeDeclarationKind? declared, string cause)
    {
        var facts = new IncidentFacts(Incident, [], declared, StepState.NotApplicable);
        Assert.Contains("■ 原因\n" + cause + "\n", Renderer().Render(facts, Apology()).Text);
    }

    [Fact]
    public void Card_and_bank_numbers_add_what_the_reader_can_do_about_them()
    {
        var card = Renderer().Render(Detected, Apology(categories: [DataCategory.Name, DataCategory.CardNumber])).Text;
        Assert.Contains("カード会社へのご連絡", card);
        Assert.DoesNotContain("金融機関", card);
        var bank = Renderer().Render(Detected, Apology("en", categories: [DataCategory.Name, DataCategory.BankAccount])).Text;
        Assert.Contains("talk to your bank", bank);
        Assert.DoesNotContain("card issuer", Renderer().Render(Detected, Apology("en")).Text);
    }

    [Fact]
    public void Delete_request_names_the_mail_asks_to_delete_unforwarded_and_tells_those_who_opened_it_what_to_do()
    {
        var n = Renderer().Render(Detected, DeleteRequest());

        Assert.Equal("【お願い】誤ってお送りしたメールの削除について（浦和レッズ シーズンチケット事務局）", n.Subject);
        Assert.Contains("2026年11月20日 10:05（日本時間）以降に当事務局からお送りした、件名「2027シーズンチケット お支払いのご案内（山*** 様）」などのメールは", n.Text);
        Assert.Contains("他のお客様212名分の個人情報を含むものでした", n.Text);
        Assert.Contains("該当するメールを開封せず、また転送せずに削除してください。", n.Text);
        Assert.Contains("■ すでにメールを開封された方へ\nメールの内容を利用したり、他の方に伝えたり共有したりすることは、お控えください。そのうえでメールを削除し、お手数ですが下記の窓口までご連絡ください。", n.Text);
        Assert.Contains("2026年12月20日 10:05（日本時間）まで有効です。", n.Text);
        Assert.Contains("\nhttps://www.reds-seasonticket.example.jp/privacy/confirm?token=" + Token + "\n", n.Text);
        Assert.Contains("電話：048-555-0123", n.Text);
        Assert.Contains("重ねてお詫び申し上げます。", n.Text);
        Assert.Contains($"<a href=\"https://www.reds-seasonticket.example.jp/privacy/confirm?token={Token}\" style=\"display:inline-block;", n.Html);
        Assert.Contains(">未開封のまま削除したことを知らせる</a>", n.Html);

        var one = Renderer().Render(Detected, DeleteRequest("en", mails: 1)).Text;
        Assert.Contains("about the e-mail we sent you on 20 November 2026, 10:05 (JST) with the subject \"2027シーズンチケット お支払いのご案内（山*** 様）\"", one);
        Assert.Contains("contained the personal data of 1 other customer.", one);
        Assert.Contains("■ If you have already opened it\nPlease do not use the contents or share them with anyone.", one);
        Assert.Contains(">I deleted them unread</a>", Renderer().Render(Detected, DeleteRequest("en")).Html);
        Assert.Contains("the personal data of 212 other customers", Renderer().Render(Detected, DeleteRequest("en")).Text);
    }

    [Fact]
    public void Delete_request_without_a_recorded_subject_names_the_mail_by_its_date_only()
    {
        var ja = Renderer().Render(Detected, DeleteRequest(subject: null)).Text;
        Assert.Contains("2026年11月20日 10:05（日本時間）以降に当事務局からお送りしたメールは", ja);
        Assert.DoesNotContain("件名", ja);
        Assert.Contains("from 20 November 2026, 10:05 (JST) onwards. By our mistake", Renderer().Render(Detected, DeleteRequest("en", subject: null)).Text);
    }

    [Fact]
    public void Html_part_is_encoded_and_has_headings_and_lists()
    {
        var renderer = new NoticeRenderer(Options.Create(Sender().With(s => s.Organization = "<b>Reds</b> & Co")));
        var n = renderer.Render(Detected, DeleteRequest(subject: "<script>alert(1)</script>お支払い"));

        Assert.Contains("&lt;b&gt;Reds&lt;/b&gt; &amp; Co", n.Html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;お支払い", n.Html);
        Assert.DoesNotContain("<script>", n.Html);
        Assert.DoesNotContain("<b>Reds", n.Html);
        Assert.StartsWith("<!DOCTYPE html><html lang=\"ja\">", n.Html);
        Assert.Contains(">お問い合わせ窓口</h2>", n.Html);
        Assert.Contains("<li>該当する送信を停止し、未送信のメールの配信を取りやめました。</li>", renderer.Render(Detected, Apology()).Html);
        Assert.Contains("<b>Reds</b> & Co", n.Text); // the text part is plain text
    }

    [Theory]
    [InlineData("http://www.reds-seasonticket.example.jp/privacy/confirm")]
    [InlineData("https://www.reds-seasonticket.example.jp/privacy/confirm?x=1")]
    [InlineData("/privacy/confirm")]
    [InlineData("")]
    public void Confirmation_page_must_be_an_https_address_of_the_senders_own(string url)
    {
        var options = Sender().With(s => s.ConfirmationPageUrl = url);
        var error = Assert.Throws<ValidationException>(() => new NoticeRenderer(Options.Create(options)));
        Assert.Contains(nameof(NoticeSenderOptions.ConfirmationPageUrl), error.Message);
    }

    [Fact]
    public void Confirmation_page_may_be_plain_http_only_on_this_machine_for_local_runs()
    {
        var local = Sender().With(s => s.ConfirmationPageUrl = "http://localhost:7071/api/confirm");
        var n = new NoticeRenderer(Options.Create(local)).Render(Detected, DeleteRequest());
        Assert.Contains("http://localhost:7071/api/confirm?token=", n.Text);
    }

    [Fact]
    public void English_notices_use_the_English_name_and_the_From_falls_back_to_the_contact_and_organisation()
    {
        var sender = Sender().With(s => s.OrganizationEn = " ");
        Assert.Equal(sender.Organization, sender.OrganizationIn("en"));
        Assert.Equal("Urawa Reds Season Ticket Office", Sender().OrganizationIn("en"));
        Assert.Equal(Sender().Organization, Sender().OrganizationIn("ja"));
        Assert.Equal((sender.ContactEmail, sender.Organization), (sender.FromAddress, sender.FromDisplayName));
        var from = Sender().With(s => (s.FromEmail, s.FromName) = ("notice@reds-seasonticket.example.jp", "個人情報お問い合わせ窓口"));
        Assert.Equal(("notice@reds-seasonticket.example.jp", "個人情報お問い合わせ窓口"), (from.FromAddress, from.FromDisplayName));
    }

    [Fact]
    public void Notices_need_a_phone_number_with_hours_as_well_as_an_e_mail_address()
    {
        Assert.Throws<ValidationException>(() => new NoticeRenderer(Options.Create(Sender().With(s => s.ContactPhone = ""))));
        Assert.Throws<ValidationException>(() => new NoticeRenderer(Options.Create(Sender().With(s => s.ContactHoursJa = ""))));
        Assert.Throws<ValidationException>(() => new NoticeRenderer(Options.Create(Sender().With(s => s.ContactEmail = "not-an-address"))));
        var complete = Sender();
        Assert.True(Validator.TryValidateObject(complete, new ValidationContext(complete), null, validateAllProperties: true));
    }

    [Fact]
    public void Job_policy_contact_address_wins_over_the_senders_default()
    {
        var n = Renderer().Render(Detected with { ContactEmail = "ticket-desk@reds-seasonticket.example.jp" }, Apology("en"));
        Assert.Contains("E-mail: ticket-desk@reds-seasonticket.example.jp", n.Text);
        Assert.DoesNotContain("privacy@", n.Text);
    }

    [Fact]
    public void Unsupported_language_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Renderer().Render(Detected, Apology("fr")));
    }
}

internal static class OptionsExtensions
{
    public static NoticeSenderOptions With(this NoticeSenderOptions options, Action<NoticeSenderOptions> change)
    {
        change(options);
        return options;
    }
}
