using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Core.Notices;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static MisSend.Integration.Tests.NoticeKit;

namespace MisSend.Integration.Tests;

/// <summary>DispatchNotices on Azurite through the SendGrid client to the stand-in — exactly once per person per kind.</summary>
[Collection(PipelineCollection.Name)]
public sealed class NoticeDispatchTests(AzuriteFixture azurite)
{
    private static readonly string[] JaCategories = ["氏名", "メールアドレス", "請求金額", "席種"];
    private static readonly string[] EnCategories = ["name", "e-mail address", "amount due", "seat type"];

    /// <summary>Subjects [0, subjects) each reached two of the recipients [subjects, subjects + recipients).</summary>
    private static List<(Holder Recipient, Holder Subject)> Pairs(int subjects, int recipients) =>
        Enumerable.Range(0, subjects).SelectMany(i => new[]
        {
            (Batches.Person(subjects + (i % recipients)), Batches.Person(i)),
            (Batches.Person(subjects + ((i + 7) % recipients)), Batches.Person(i)),
        }).ToList();

    private static void AssertExactlyOnce(List<SentNotice> sent, IEnumerable<string> subjects, IEnumerable<string> recipients)
    {
        var perPerson = sent.GroupBy(n => (n.Email, n.Kind)).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(perPerson, kv => Assert.True(kv.Value == 1, $"{kv.Key.Kind} to person #{kv.Key.Email.GetHashCode()} sent {kv.Value} times"));
        Assert.Equal(subjects.Order(), sent.Where(n => n.Kind == Apology).Select(n => n.Email).Order());
        Assert.Equal(recipients.Order(), sent.Where(n => n.Kind == DeleteRequest).Select(n => n.Email).Order());
    }

    [Fact]
    public async Task Incident_of_2000_people_is_notified_once_each_in_waves_of_at_most_1000_with_honest_words()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid();
        const int subjects = 1600, recipients = 400;
        var incidentId = await SeedIncidentAsync(h, Pairs(subjects, recipients), language: null);

        // Through the timer function class itself, built from the app's registration.
        await h.Services.GetRequiredService<MisSend.Functions.DispatchNotices>().Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), default);

        Assert.All(h.MailSends, e => Assert.Equal(202, (int)e.ResponseMessage.StatusCode!));
        Assert.All(h.MailSends, e => Assert.InRange(GetPersonalizationCount(e), 1, 1000));
        Assert.Contains(h.MailSends, e => GetPersonalizationCount(e) == 1000); // 1200 Japanese apologies need two waves
        var sent = Notices(h);
        Assert.Equal(2000, sent.Count);
        var subjectEmails = Batches.People(0, subjects).Select(p => p.Email).ToList();
        var recipientEmails = Batches.People(subjects, recipients).Select(p => p.Email).ToList();
        AssertExactlyOnce(sent, subjectEmails, recipientEmails);

        var key = h.SigningKey();
        foreach (var n in sent)
        {
            var p = n.Personalization;
            Assert.Single(p["to"]!.AsArray());
            Assert.False(p.ContainsKey("cc"));
            Assert.False(p.ContainsKey("bcc"));
            Assert.False(n.Body["tracking_settings"]!["click_tracking"]!["enable"]!.GetValue<bool>());
            Assert.False(n.Body["tracking_settings"]!["click_tracking"]!["enable_text"]!.GetValue<bool>());
            Assert.Equal(incidentId, n.Body["custom_args"]!["incident"]!.GetValue<string>());
            Assert.Equal(["-notice-text-", "-notice-html-"], n.Body["content"]!.AsArray().Select(c => c!["value"]!.GetValue<string>()));

            // Each person's own text names nobody else: the only address in it is the contact.
            Assert.All(Addresses(n.Text), a => Assert.Equal("privacy@example.jp", a));
            var ja = !n.Email.EndsWith(".com", StringComparison.Ordinal);
            Assert.DoesNotContain("誤送信", n.Subject);
            Assert.Contains(incidentId, n.Text);
            if (n.Kind == Apology)
            {
                if (ja)
                {
                    Assert.Contains("漏えい", n.Subject);
                    Assert.Contains("個人データの漏えい", n.Text);
                    Assert.Contains("お客様以外の2名", n.Text);
                    Assert.Contains("重ねてお詫び申し上げます", n.Text);
                    Assert.Contains("電話：048-555-0123（受付時間：平日 10:00〜17:00（土日祝日を除く））", n.Text);
                    Assert.All(JaCategories, c => Assert.Contains(c, n.Text));
                }
                else
                {
                    Assert.Contains("leak of your personal data", n.Subject);
                    Assert.Contains("leak of personal data", n.Text);
                    Assert.Contains("reached 2 people other than you", n.Text);
                    Assert.All(EnCategories, c => Assert.Contains(c, n.Text));
                }

                // Sent after the delete requests of the same tick, so it may say they were asked.
                Assert.Contains(ja ? "削除していただくよう、お願いいたしました。" : "We have asked everyone who received your data to delete the e-mail without opening it.", n.Text);
            }
            else
            {
                Assert.Contains(ja ? "他のお客様8名分の個人情報" : "the personal data of 8 other customers", n.Text);
                Assert.Contains(ja ? "件名「2027シーズンチケット お支払いのご案内」などの" : "with subjects such as \"2027シーズンチケット お支払いのご案内\"", n.Text);
                var token = ConfirmToken(n.Text);
                var (claims, error) = ConfirmationToken.Validate(token, key, DateTimeOffset.UtcNow);
                Assert.True(error is null, error?.ToString());
                Assert.Equal(incidentId, claims!.IncidentId);

                // The link's recipient part is keyed: the row's key, and no plain hash of the address.
                Assert.Equal(RecipientKey.For(n.Email, key), claims.RecipientKey);
                Assert.DoesNotContain(Keys.Hash(n.Email), token);
                Assert.Contains("<a href=\"https://www.example.jp/privacy/confirm?token=", n.Html);
            }
        }

        var rows = await RowsAsync(h, incidentId);
        Assert.Equal(2000, rows.Count);
        Assert.All(rows, r => Assert.Equal(NoticeState.Sent, r.State));
        Assert.Equal(IncidentStatus.Notified, (await h.Incidents.GetAsync(incidentId, default))!.Status);
        var report = (await h.IncidentService.ReportAsync(incidentId, default))!;
        Assert.Equal((subjects, 0, recipients, 0, 0),
            (report.Notices.Apologies.Sent, report.Notices.Apologies.Pending, report.Notices.DeleteRequests.Sent, report.Notices.DeleteRequests.Pending, report.Notices.Apologies.Unknown + report.Notices.DeleteRequests.Unknown));

        // The next tick has nothing to send.
        await h.Dispatcher.DispatchAsync(default);
        Assert.Equal(2000, Notices(h).Count);
    }

    [Fact]
    public async Task Two_dispatchers_at_once_notify_everyone_exactly_once()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid();
        await using var peer = h.BuildPeer();
        const int subjects = 700, recipients = 300;
        var incidentId = await SeedIncidentAsync(h, Pairs(subjects, recipients), language: "ja");

        var a = h.Dispatcher;
        var b = peer.GetRequiredService<NoticeDispatcher>();
        Assert.NotSame(a, b);
        var results = await Task.WhenAll(Task.Run(() => a.DispatchAsync(default)), Task.Run(() => b.DispatchAsync(default)));

        Assert.Equal(subjects + recipients, results.Sum(r => r.Sent));
        AssertExactlyOnce(Notices(h), Batches.People(0, subjects).Select(p => p.Email), Batches.People(subjects, recipients).Select(p => p.Email));
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal(NoticeState.Sent, r.State));
        Assert.Equal(IncidentStatus.Notified, (await h.Incidents.GetAsync(incidentId, default))!.Status);
    }

    [Fact]
    public async Task Rate_limited_429_then_202_notifies_everyone_once()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.Server.ResetMappings();
        var reset = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
        var calls = 0;
        h.Server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => Interlocked.Increment(ref calls) == 1
                ? new WireMock.ResponseMessage { StatusCode = 429, Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["X-RateLimit-Reset"] = new(reset) } }
                : new WireMock.ResponseMessage { StatusCode = 202 }));
        var incidentId = await SeedIncidentAsync(h, Pairs(20, 10), language: "ja");

        var summary = await h.Dispatcher.DispatchAsync(default);

        Assert.Equal(30, summary.Sent);
        Assert.Equal(429, (int)h.MailSends[0].ResponseMessage.StatusCode!);
        Assert.Equal([429, 202, 202], h.MailSends.Select(e => (int)e.ResponseMessage.StatusCode!)); // the 429'd wave retried, then the other wave
        Assert.Contains(h.Logs.Messages, m => m.Contains("SendGrid answered 429"));
        AssertExactlyOnce(Notices(h), Batches.People(0, 20).Select(p => p.Email), Batches.People(20, 10).Select(p => p.Email));
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal(NoticeState.Sent, r.State));
    }

    [Fact]
    public async Task Server_errors_leave_rows_pending_and_the_next_tick_after_recovery_sends_each_once()
    {
        await using var h = await Harness.StartAsync(azurite, s => s["SendGrid:MaxRetries"] = "2");
        h.StubSendGrid(mailSendStatus: 500);
        var incidentId = await SeedIncidentAsync(h, Pairs(20, 10), language: null);

        var first = await h.Dispatcher.DispatchAsync(default);

        Assert.Equal((0, 30), (first.Sent, first.Pending));
        Assert.NotEmpty(h.MailSends);
        Assert.Empty(Notices(h));
        Assert.Equal(0, h.MailSends.Count % 3); // every wave: a try and two retries
        var rows = await RowsAsync(h, incidentId);
        Assert.Equal(30, rows.Count);
        Assert.All(rows, r => Assert.Equal((NoticeState.Pending, (DateTimeOffset?)null), (r.State, r.SentAt)));
        Assert.Equal(IncidentStatus.Open, (await h.Incidents.GetAsync(incidentId, default))!.Status);
        var report = (await h.IncidentService.ReportAsync(incidentId, default))!;
        Assert.Equal((0, 20, 0, 10), (report.Notices.Apologies.Sent, report.Notices.Apologies.Pending, report.Notices.DeleteRequests.Sent, report.Notices.DeleteRequests.Pending));

        h.StubSendGrid();
        var second = await h.Dispatcher.DispatchAsync(default);

        Assert.Equal((30, 0), (second.Sent, second.Pending));
        AssertExactlyOnce(Notices(h), Batches.People(0, 20).Select(p => p.Email), Batches.People(20, 10).Select(p => p.Email));
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal((NoticeState.Sent, 2), (r.State, r.Attempts)));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Dropped_answer_to_an_accepted_wave_is_never_sent_again_and_Email_Activity_settles_it_as_sent()
    {
        var clock = new ManualClock();
        await using var h = await Harness.StartAsync(azurite, s =>
        {
            s["Reliability:RecheckDelay"] = "00:00:05";
            s["SendGrid:RequestTimeout"] = "00:00:01";
        }, clock);
        h.StubSendGrid();
        var incidentId = await SeedIncidentAsync(h, Pairs(30, 12), language: "ja");
        // The first wave (the delete requests) reaches SendGrid, and the connection drops before the answer.
        h.Server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost().WithBody((string? b) => b?.Contains("\"delete-request\"") == true)).AtPriority(-1)
            .RespondWith(Response.Create().WithStatusCode(202).WithDelay(TimeSpan.FromSeconds(2)));

        var first = await h.Dispatcher.DispatchAsync(default);
        await h.StandIn.WaitForAsync("/v3/mail/send", 2);

        Assert.Equal((30, 12), (first.Sent, first.Unconfirmed));
        Assert.Equal(2, h.MailSends.Count);
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal(r.Kind == NoticeKind.DeleteRequest ? NoticeState.Unknown : NoticeState.Sent, r.State));
        Assert.Equal(IncidentStatus.Open, (await h.Incidents.GetAsync(incidentId, default))!.Status);

        // The stand-in's Email Activity lists what it received: the dropped wave was received.
        clock.Advance(TimeSpan.FromSeconds(6));
        await h.Dispatcher.DispatchAsync(default);

        Assert.Equal(2, h.MailSends.Count);
        Assert.Single(h.Requests("/v3/messages"));
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal(NoticeState.Sent, r.State));
        Assert.Equal(IncidentStatus.Notified, (await h.Incidents.GetAsync(incidentId, default))!.Status);
        clock.Advance(TimeSpan.FromMinutes(10));
        await h.Dispatcher.DispatchAsync(default);
        Assert.Equal(2, h.MailSends.Count);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Wave_whose_answer_was_lost_without_Email_Activity_access_stays_unconfirmed_never_resent_and_is_in_the_report()
    {
        var clock = new ManualClock();
        await using var h = await Harness.StartAsync(azurite, s =>
        {
            s["Reliability:RecheckDelay"] = "00:00:05";
            s["SendGrid:RequestTimeout"] = "00:00:01";
        }, clock);
        h.StandIn.StubDefaults(activity: SendGridStandIn.Activity.Forbidden);
        var incidentId = await SeedIncidentAsync(h, Pairs(30, 12), language: "ja");
        h.Server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost().WithBody((string? b) => b?.Contains("\"delete-request\"") == true)).AtPriority(-1)
            .RespondWith(Response.Create().WithStatusCode(202).WithDelay(TimeSpan.FromSeconds(2)));

        await h.Dispatcher.DispatchAsync(default);
        await h.StandIn.WaitForAsync("/v3/mail/send", 2);
        clock.Advance(TimeSpan.FromSeconds(6));
        var summary = await h.Dispatcher.DispatchAsync(default);

        Assert.Equal((0, 0, 12), (summary.Sent, summary.Pending, summary.Unconfirmed));
        Assert.Equal(2, h.MailSends.Count);
        Assert.Equal(403, (int)Assert.Single(h.Requests("/v3/messages")).ResponseMessage.StatusCode!);
        Assert.Equal(IncidentStatus.NotifiedWithUnconfirmed, (await h.Incidents.GetAsync(incidentId, default))!.Status);

        var report = (await h.IncidentService.ReportAsync(incidentId, default))!;
        Assert.Equal((30, 0, 0, 0, 12),
            (report.Notices.Apologies.Sent, report.Notices.Apologies.Pending, report.Notices.DeleteRequests.Sent, report.Notices.DeleteRequests.Pending, report.Notices.Apologies.Unknown + report.Notices.DeleteRequests.Unknown));
        var ja = MisSend.Core.Reports.IncidentReportRenderer.ToMarkdown(report, "ja");
        Assert.Contains("| 削除のお願い（誤って受け取った方宛て） | 0名 | 0名 | 12名 | 0名 |", ja);
        Assert.Contains("送達不明の通知は、送信事業者に受け付けられたかどうかを確認できないものです。", ja);
        Assert.DoesNotContain("削除のお願いをメールで送信しました", ja);

        // The apologies went out while the delete requests' fate was unknown: they say it is being arranged, not done.
        Assert.All(Notices(h).Where(n => n.Kind == Apology), n =>
        {
            Assert.Contains("メールを削除していただくようお願いいたします（手配中）。", n.Text);
            Assert.DoesNotContain("お願いいたしました。", n.Text);
        });

        clock.Advance(TimeSpan.FromMinutes(10));
        await h.Dispatcher.DispatchAsync(default);
        Assert.Equal(2, h.MailSends.Count);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Wave_SendGrid_refuses_with_400_is_failed_with_its_reason_and_not_retried_on_later_ticks()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid(mailSendStatus: 400);
        var incidentId = await SeedIncidentAsync(h, Pairs(10, 5), language: "en");

        var first = await h.Dispatcher.DispatchAsync(default);
        await h.Dispatcher.DispatchAsync(default);
        await h.Dispatcher.DispatchAsync(default);

        Assert.Equal(15, first.Failed);
        Assert.Equal(2, h.MailSends.Count); // each wave once: a 400 is not retried by the client nor by the next ticks
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal(NoticeState.Failed, r.State));
        Assert.All(await h.Notices.ListWavesAsync(incidentId, default), w => Assert.Contains("400", w.Reason));
        Assert.Equal(IncidentStatus.NotifiedWithUnconfirmed, (await h.Incidents.GetAsync(incidentId, default))!.Status);
        var en = MisSend.Core.Reports.IncidentReportRenderer.ToMarkdown((await h.IncidentService.ReportAsync(incidentId, default))!, "en");
        Assert.Contains("delete requests to 5 people refused by the mail service (not sent)", en);
        Assert.Contains("| Delete request (to wrong recipients) | 0 | 0 | 0 | 5 |", en);
        Assert.DoesNotContain("Delete requests were e-mailed", en);

        // The apologies SendGrid was asked to take (and refused) never said that the delete requests had gone out.
        Assert.All(Notices(h, status: 400).Where(n => n.Kind == Apology), n =>
            Assert.DoesNotContain("We have asked everyone who received your data to delete", n.Text));
    }
}
