using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Reports;
using MisSend.Functions;
using static MisSend.Integration.Tests.NoticeKit;

namespace MisSend.Integration.Tests;

/// <summary>
/// Issue 13 on Azurite: the "not mine" link in the bodies SendGrid (the stand-in) received, the NotMine function's page
/// and report, the held chunks, the officer's alert and the dismissal, through the app's own function classes.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class NotMineHttpTests(AzuriteFixture azurite)
{
    private const string Officer = "dpo@reds-seasonticket.example.jp";

    [Fact]
    public async Task A_recipients_POST_pauses_the_rest_of_the_job_alerts_the_officer_and_dismissal_sends_the_held_chunks()
    {
        var clock = new ManualClock();
        await using var h = await Harness.StartAsync(azurite, s => s["Alerts:OfficerEmail"] = Officer, time: clock);
        h.StubSendGrid();
        var jobId = Batches.NewJobId();
        var incidentId = Keys.IncidentFor(jobId);
        var notMine = h.Services.GetRequiredService<NotMine>();

        await h.RunFunctionAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 3, Batches.Mail(Batches.People(0, 4)))));
        var token = TokenOf(Assert.Single(h.MailSends), personalization: 2);

        // A mail scanner's GET shows the question and records nothing.
        var get = await notMine.Run(Request("GET", token), default);
        Assert.Equal(200, Status(get));
        Assert.Contains("<html lang=\"ja\">", Content(get));
        Assert.Contains("<form method=\"post\"", Content(get));
        Assert.Contains("このメールは私宛てではありません", Content(get));
        Assert.Empty(await h.Incidents.NotMineReportsAsync(incidentId, default));
        Assert.Equal(JobState.Open, (await h.Jobs.GetJobAsync(jobId, default))!.State);

        var post = await notMine.Run(Request("POST", token, "part=address&part=amount&part=bogus"), default);
        Assert.Equal(200, Status(post));
        Assert.Contains("削除してください", Content(post));
        var report = Assert.Single(await h.Incidents.NotMineReportsAsync(incidentId, default));
        Assert.Equal([NotMinePart.Address, NotMinePart.Amount], report.Parts);
        var job = (await h.Jobs.GetJobAsync(jobId, default))!;
        Assert.Equal((JobState.Halted, (IncidentSource?)IncidentSource.RecipientReport), (job.State, job.HaltedBy));
        Assert.InRange(job.HaltedAt!.Value - report.ReportedAt, TimeSpan.Zero, TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));

        // The alert went to the officer, masked; nobody else was mailed.
        var alert = Assert.Single(h.MailSends, e => Harness.Body(e)["custom_args"]?[OfficerAlert.AlertArg] is not null);
        Assert.Equal(Officer, Harness.Body(alert)["personalizations"]![0]!["to"]![0]!["email"]!.GetValue<string>());
        Assert.DoesNotContain(Batches.Person(2).Email, Harness.Body(alert).ToJsonString());

        // The remaining chunks are held; none reaches SendGrid after the report was recorded.
        var before = h.MailSends.Count;
        await h.RunFunctionAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 2, 3, Batches.Mail(Batches.People(10, 4)))));
        await h.RunFunctionAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 3, 3, Batches.Mail(Batches.People(20, 4)))));
        Assert.Equal(before, h.MailSends.Count);
        Assert.All((await h.Jobs.ListChunksAsync(jobId, default)).Where(c => c.Chunk > 1),
            c => Assert.Equal((ChunkState.Quarantined, ContainedReason.Reported), (c.State, c.Reason)));

        // The same recipient again counts once; forged and expired links have no effect.
        Assert.Equal(200, Status(await notMine.Run(Request("POST", token), default)));
        Assert.Single(await h.Incidents.NotMineReportsAsync(incidentId, default));
        var forged = await notMine.Run(Request("POST", NotMineToken.Create(new(jobId, 1, 0, "ja", DateTimeOffset.UtcNow.AddDays(1)), new byte[32])), default);
        Assert.Equal(400, Status(forged));
        Assert.Contains("このリンクは無効です", Content(forged));
        Assert.Single(await h.Incidents.NotMineReportsAsync(incidentId, default));
        var tooBig = await notMine.Run(Request("POST", TokenOf(h.MailSends[0], 0), "part=" + new string('x', NotMinePage.MaxFormBytes)), default);
        Assert.Equal(413, Status(tooBig));

        await h.TickAsync();
        Assert.DoesNotContain(h.MailSends, e => Harness.Body(e)["custom_args"]?[OutgoingMail.WaveArg] is not null); // a report notifies nobody

        // The report records its source; the officer dismisses it over HTTP, and the held chunks go out once.
        var json = JsonNode.Parse(IncidentReportRenderer.ToJson((await h.IncidentService.ReportAsync(incidentId, default))!))!;
        Assert.Equal("recipient-report", json["report"]!["source"]!.GetValue<string>());
        Assert.Equal("reported", json["report"]!["kind"]!.GetValue<string>());
        var http = h.Services.GetRequiredService<IncidentHttp>();
        Assert.Equal(400, Status(await http.Dismiss(HttpRequest("POST", "{}"), incidentId, default)));
        var dismissed = await http.Dismiss(HttpRequest("POST", JsonSerializer.Serialize(new { reason = "ご家族宛ての案内と確認できたため" })), incidentId, default);
        Assert.Equal(200, Status(dismissed));
        Assert.Equal(JobState.Open, (await h.Jobs.GetJobAsync(jobId, default))!.State);
        Assert.All(await h.Jobs.ListChunksAsync(jobId, default), c => Assert.Equal(ChunkState.Sent, c.State));
        var batches = h.MailSends.Where(e => Harness.Body(e)["custom_args"]?[OfficerAlert.AlertArg] is null).ToList();
        Assert.Equal(3, batches.Count);
        Assert.All(batches, b => Assert.All(Harness.Body(b)["personalizations"]!.AsArray(), p => Harness.RemoveNotMineLink(p!.AsObject())));
        Assert.Equal(404, Status(await http.Dismiss(HttpRequest("POST", JsonSerializer.Serialize(new { reason = "again" })), "INC-000000000000", default)));
        Assert.Equal("dismissed", JsonNode.Parse(IncidentReportRenderer.ToJson((await h.IncidentService.ReportAsync(incidentId, default))!))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expired_links_get_a_plain_page_and_no_effect()
    {
        var clock = new ManualClock();
        await using var h = await Harness.StartAsync(azurite, time: clock);
        h.StubSendGrid();
        var jobId = Batches.NewJobId();
        await h.RunFunctionAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 2, Batches.Mail(Batches.People(0, 2)))));
        var token = TokenOf(Assert.Single(h.MailSends), 0);
        clock.Advance(TimeSpan.FromDays(31));
        var notMine = h.Services.GetRequiredService<NotMine>();

        var get = await notMine.Run(Request("GET", token), default);
        var post = await notMine.Run(Request("POST", token), default);

        Assert.Equal((410, 410), (Status(get), Status(post)));
        Assert.Contains("有効期限が切れています", Content(post));
        Assert.Empty(await h.Incidents.NotMineReportsAsync(Keys.IncidentFor(jobId), default));
        Assert.Null(await h.Incidents.GetAsync(Keys.IncidentFor(jobId), default));
        Assert.Equal(JobState.Open, (await h.Jobs.GetJobAsync(jobId, default))!.State);
    }

    [Fact]
    public async Task The_policy_switch_sends_no_link_and_notices_never_carry_one()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid();
        var jobId = Batches.NewJobId();
        var policy = new JsonObject { ["language"] = "ja", ["contactEmail"] = Contact, ["notMineLink"] = false };
        await h.RunFunctionAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 1, Batches.Mail(Batches.People(0, 3)), policy)));
        Assert.DoesNotContain(OutgoingMail.NotMineKey, Harness.Body(Assert.Single(h.MailSends)).ToJsonString());

        await SeedIncidentAsync(h, [(Batches.Person(1), Batches.Person(2))], "ja");
        await h.Dispatcher.DispatchAsync(default);
        var notices = Notices(h);
        Assert.NotEmpty(notices);
        Assert.All(notices, n => Assert.DoesNotContain("not_mine", n.Body.ToJsonString()));
    }

    private static HttpRequest Request(string method, string token, string? form = null) =>
        HttpRequest(method, form, "?token=" + Uri.EscapeDataString(token), "application/x-www-form-urlencoded");

    /// <summary>The token of the "not mine" link of personalization <paramref name="personalization"/> in a body the stand-in received.</summary>
    private static string TokenOf(WireMock.Logging.ILogEntry send, int personalization)
    {
        var url = Harness.Body(send)["personalizations"]![personalization]!["dynamic_template_data"]![OutgoingMail.NotMineKey]!.GetValue<string>();
        Assert.StartsWith(Harness.NotMinePage + "?token=", url);
        return Uri.UnescapeDataString(url[(Harness.NotMinePage.Length + "?token=".Length)..]);
    }

    private static int Status(IActionResult r) => r switch
    {
        ObjectResult o => o.StatusCode ?? 200,
        ContentResult c => c.StatusCode ?? 200,
        StatusCodeResult s => s.StatusCode,
        _ => throw new InvalidOperationException(r.GetType().Name),
    };

    private static string Content(IActionResult r) => Assert.IsType<ContentResult>(r).Content!;
}
