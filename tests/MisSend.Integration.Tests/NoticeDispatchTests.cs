using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Azure.Notices;
using MisSend.Azure.Sending;
using MisSend.Azure.Storage;
using MisSend.Core.Notices;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static MisSend.Integration.Tests.NoticeKit;

namespace MisSend.Integration.Tests;

/// <summary>Issue 4: DispatchNotices on Azurite through the SendGrid client to the stand-in — exactly once per person per kind.</summary>
[Collection(PipelineCollection.Name)]
public sealed class NoticeDispatchTests(AzuriteFixture azurite)
{
    private static readonly string[] JaCategories = ["氏名", "メールアドレス", "請求金額", "席種"];
    private static readonly string[] EnCategories = ["name", "e-mail address", "amount due", "seat type"];

    /// <summary>Subjects [0, subjects) each reached two of the recipients [subjects, subjects + recipients).</summary>
    private static List<(Person Recipient, Person Subject)> Pairs(int subjects, int recipients) =>
        Enumerable.Range(0, subjects).SelectMany(i => new[]
        {
            (Batches.Person(subjects + (i % recipients)), Batches.Person(i)),
            (Batches.Person(subjects + ((i + 7) % recipients)), Batches.Person(i)),
        }).ToList();

    private static void AssertExactlyOnce(List<SentNotice> sent, IEnumerable<string> subjects, IEnumerable<string> recipients)
    {
        var perPerson = sent.GroupBy(n => (n.Email, n.Kind)).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(perPerson, kv => Assert.True(kv.Value == 1, $"{kv.Key.Kind} to person #{kv.Key.Email.GetHashCode()} sent {kv.Value} times"));
        Assert.Equal(subjects.Order(), sent.Where(n => n.Kind == NoticeDispatcher.Apology).Select(n => n.Email).Order());
        Assert.Equal(recipients.Order(), sent.Where(n => n.Kind == NoticeDispatcher.DeleteRequest).Select(n => n.Email).Order());
    }

    [Fact]
    public async Task Incident_of_2000_people_is_notified_once_each_in_waves_of_at_most_1000_with_honest_words()
    {
        await using var h = await Harness.StartAsync(azurite);
        StubNotices(h);
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
            if (n.Kind == NoticeDispatcher.Apology)
            {
                if (ja)
                {
                    Assert.Contains("漏えい", n.Subject);
                    Assert.Contains("個人データの漏えい", n.Text);
                    Assert.Contains("個人データ", n.Text);
                    Assert.Contains("お客様以外の2名", n.Text);
                    Assert.All(JaCategories, c => Assert.Contains(c, n.Text));
                }
                else
                {
                    Assert.Contains("leak of your personal data", n.Subject);
                    Assert.Contains("leak of personal data", n.Text);
                    Assert.Contains("reached 2 people other than you", n.Text);
                    Assert.All(EnCategories, c => Assert.Contains(c, n.Text));
                }
            }
            else
            {
                Assert.Contains(ja ? "他のお客様8名分" : "the personal data of 8 other customers", n.Text);
                Assert.Contains(ja ? "個人情報を含むもの" : "not meant for you", n.Text);
                var token = ConfirmToken(n.Text);
                var (claims, error) = ConfirmationToken.Validate(token, key, DateTimeOffset.UtcNow);
                Assert.True(error is null, error?.ToString());
                Assert.Equal(incidentId, claims!.IncidentId);
                Assert.Equal(StorageKeys.Hash(n.Email), claims.RecipientKey);
                Assert.Contains("<a href=\"https://www.example.jp/privacy/confirm?token=", n.Html);
            }
        }

        var rows = await RowsAsync(h, incidentId);
        Assert.Equal(2000, rows.Count);
        Assert.All(rows, r => Assert.Equal(NoticeStates.Sent, r.State));
        Assert.Equal("notified", (await h.Incidents.GetAsync(incidentId, default))!.Status);
        var report = (await h.IncidentService().ReportAsync(incidentId, default))!;
        Assert.Equal((subjects, 0, recipients, 0, 0),
            (report.Notices.Apologies.Sent, report.Notices.Apologies.Pending, report.Notices.DeleteRequests.Sent, report.Notices.DeleteRequests.Pending, report.Notices.Apologies.Unknown + report.Notices.DeleteRequests.Unknown));

        // The next tick has nothing to send.
        await h.Dispatcher().DispatchAsync(default);
        Assert.Equal(2000, Notices(h).Count);
    }

    [Fact]
    public async Task Two_dispatchers_at_once_notify_everyone_exactly_once()
    {
        await using var h = await Harness.StartAsync(azurite);
        StubNotices(h);
        await using var peer = h.BuildPeer();
        const int subjects = 700, recipients = 300;
        var incidentId = await SeedIncidentAsync(h, Pairs(subjects, recipients), language: "ja");

        var a = h.Dispatcher();
        var b = peer.GetRequiredService<NoticeDispatcher>();
        Assert.NotSame(a, b);
        var results = await Task.WhenAll(Task.Run(() => a.DispatchAsync(default)), Task.Run(() => b.DispatchAsync(default)));

        Assert.Equal(subjects + recipients, results.Sum(r => r.Sent));
        AssertExactlyOnce(Notices(h), Batches.People(0, subjects).Select(p => p.Email), Batches.People(subjects, recipients).Select(p => p.Email));
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal(NoticeStates.Sent, r.State));
        Assert.Equal("notified", (await h.Incidents.GetAsync(incidentId, default))!.Status);
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
        StubActivity(h, Activity.FromLog);
        var incidentId = await SeedIncidentAsync(h, Pairs(20, 10), language: "ja");

        var summary = await h.Dispatcher().DispatchAsync(default);

        Assert.Equal(30, summary.Sent);
        Assert.Equal(429, (int)h.MailSends[0].ResponseMessage.StatusCode!);
        Assert.Equal([429, 202, 202], h.MailSends.Select(e => (int)e.ResponseMessage.StatusCode!)); // the 429'd wave retried, then the other wave
        Assert.Contains(h.Logs.Messages, m => m.Contains("SendGrid answered 429"));
        AssertExactlyOnce(Notices(h), Batches.People(0, 20).Select(p => p.Email), Batches.People(20, 10).Select(p => p.Email));
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal(NoticeStates.Sent, r.State));
    }

    [Fact]
    public async Task Server_errors_leave_rows_pending_and_the_next_tick_after_recovery_sends_each_once()
    {
        await using var h = await Harness.StartAsync(azurite, s => s["SendGrid:MaxRetries"] = "2");
        StubNotices(h, mailSendStatus: 500);
        var incidentId = await SeedIncidentAsync(h, Pairs(20, 10), language: null);

        var first = await h.Dispatcher().DispatchAsync(default);

        Assert.Equal((0, 30), (first.Sent, first.Pending));
        Assert.NotEmpty(h.MailSends);
        Assert.Empty(Notices(h));
        Assert.Equal(0, h.MailSends.Count % 3); // every wave: a try and two retries
        var rows = await RowsAsync(h, incidentId);
        Assert.Equal(30, rows.Count);
        Assert.All(rows, r => Assert.Equal((NoticeStates.Pending, (DateTimeOffset?)null), (r.State, r.SentAt)));
        Assert.Equal("open", (await h.Incidents.GetAsync(incidentId, default))!.Status);
        var report = (await h.IncidentService().ReportAsync(incidentId, default))!;
        Assert.Equal((0, 20, 0, 10), (report.Notices.Apologies.Sent, report.Notices.Apologies.Pending, report.Notices.DeleteRequests.Sent, report.Notices.DeleteRequests.Pending));

        StubNotices(h);
        var second = await h.Dispatcher().DispatchAsync(default);

        Assert.Equal((30, 0), (second.Sent, second.Pending));
        AssertExactlyOnce(Notices(h), Batches.People(0, 20).Select(p => p.Email), Batches.People(20, 10).Select(p => p.Email));
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal((NoticeStates.Sent, 2), (r.State, r.Attempts)));
    }

    [Fact]
    public async Task Crash_after_an_accepted_wave_is_reconciled_as_sent_and_the_never_sent_wave_goes_once_after_the_lease()
    {
        var clock = new ManualClock();
        await using var h = await Harness.StartAsync(azurite, s => s["Notices:Lease"] = "00:00:10", clock);
        StubNotices(h);
        var incidentId = await SeedIncidentAsync(h, Pairs(30, 12), language: "ja");
        var crashes = 0;
        h.Faults.AfterNoticeWaveAccepted = _ => ++crashes == 1 ? throw new InvalidOperationException("simulated crash after SendGrid accepted a wave") : Task.CompletedTask;

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Dispatcher().DispatchAsync(default));

        var acceptedFirst = Notices(h);
        Assert.Single(h.MailSends);
        Assert.NotEmpty(acceptedFirst);
        var rows = await RowsAsync(h, incidentId);
        Assert.Equal(42, rows.Count);
        Assert.All(rows, r => Assert.Equal(NoticeStates.Sending, r.State)); // the accepted wave, and the wave never sent

        // Within the lease: the claimed rows are someone's; nothing is asked or sent.
        clock.Advance(TimeSpan.FromSeconds(5));
        await h.Dispatcher().DispatchAsync(default);
        Assert.Single(h.MailSends);
        Assert.Empty(h.Requests("/v3/messages"));

        clock.Advance(TimeSpan.FromSeconds(6));
        var after = await h.Dispatcher().DispatchAsync(default);

        Assert.Equal(2, h.Requests("/v3/messages").Count);
        Assert.Equal(2, h.MailSends.Count);
        var sent = Notices(h);
        AssertExactlyOnce(sent, Batches.People(0, 30).Select(p => p.Email), Batches.People(30, 12).Select(p => p.Email));
        Assert.Equal(42 - acceptedFirst.Count, after.Sent);
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal(NoticeStates.Sent, r.State));
        Assert.Equal("notified", (await h.Incidents.GetAsync(incidentId, default))!.Status);

        // And later ticks keep it that way.
        clock.Advance(TimeSpan.FromMinutes(10));
        await h.Dispatcher().DispatchAsync(default);
        Assert.Equal(2, h.MailSends.Count);
    }

    [Fact]
    public async Task Stale_wave_that_cannot_be_checked_is_unconfirmed_never_resent_and_counted_in_the_report()
    {
        var clock = new ManualClock();
        await using var h = await Harness.StartAsync(azurite, s => s["Notices:Lease"] = "00:00:10", clock);
        StubNotices(h, activity: Activity.Forbidden);
        var incidentId = await SeedIncidentAsync(h, Pairs(30, 12), language: "ja");
        h.Faults.AfterNoticeWaveAccepted = _ => throw new InvalidOperationException("simulated crash");

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Dispatcher().DispatchAsync(default));
        h.Faults.AfterNoticeWaveAccepted = null;
        clock.Advance(TimeSpan.FromSeconds(11));
        var summary = await h.Dispatcher().DispatchAsync(default);

        Assert.Equal((0, 0, 42), (summary.Sent, summary.Pending, summary.Unconfirmed));
        Assert.Single(h.MailSends);
        Assert.Equal(2, h.Requests("/v3/messages").Count);
        Assert.All(h.Requests("/v3/messages"), e => Assert.Equal(403, (int)e.ResponseMessage.StatusCode!));
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal(NoticeStates.Unconfirmed, r.State));
        Assert.Equal("notified-with-unconfirmed", (await h.Incidents.GetAsync(incidentId, default))!.Status);

        var report = (await h.IncidentService().ReportAsync(incidentId, default))!;
        Assert.Equal((0, 0, 0, 0, 42),
            (report.Notices.Apologies.Sent, report.Notices.Apologies.Pending, report.Notices.DeleteRequests.Sent, report.Notices.DeleteRequests.Pending, report.Notices.Apologies.Unknown + report.Notices.DeleteRequests.Unknown));
        Assert.Contains("送達不明の通知は、送信事業者に受け付けられたかどうかを確認できないものです", MisSend.Core.Reports.IncidentReportRenderer.ToMarkdown(report, "ja"));

        clock.Advance(TimeSpan.FromMinutes(10));
        await h.Dispatcher().DispatchAsync(default);
        Assert.Single(h.MailSends);
    }

    [Fact]
    public async Task Wave_claimed_but_refused_and_left_sending_is_resent_once_after_the_lease()
    {
        var clock = new ManualClock();
        await using var h = await Harness.StartAsync(azurite, s =>
        {
            s["Notices:Lease"] = "00:00:10";
            s["SendGrid:MaxRetries"] = "0";
        }, clock);
        StubNotices(h, mailSendStatus: 500);
        var incidentId = await SeedIncidentAsync(h, Pairs(10, 5), language: "en");
        await h.Dispatcher().DispatchAsync(default);
        Assert.Empty(Notices(h));

        // The worker died before it could write "pending": the rows still say "sending" under an expired lease.
        foreach (var row in await RowsAsync(h, incidentId))
        {
            Assert.Equal(NoticeStates.Pending, row.State);
            row.State = NoticeStates.Sending;
            Assert.True(await h.Store().TryUpdateAsync(row, default));
        }

        StubNotices(h);
        clock.Advance(TimeSpan.FromSeconds(11));
        var summary = await h.Dispatcher().DispatchAsync(default);

        Assert.Equal(15, summary.Sent);
        Assert.Equal(2, h.Requests("/v3/messages").Count);
        Assert.All(h.Requests("/v3/messages"), e => Assert.Equal("{\"messages\":[]}", e.ResponseMessage.BodyData!.BodyAsString));
        AssertExactlyOnce(Notices(h), Batches.People(0, 10).Select(p => p.Email), Batches.People(10, 5).Select(p => p.Email));
        Assert.All(await RowsAsync(h, incidentId), r => Assert.Equal(NoticeStates.Sent, r.State));
    }
}
