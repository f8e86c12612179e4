using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Azure.Notices;
using MisSend.Azure.Pipeline;
using MisSend.Azure.Storage;
using MisSend.Core.Detection;
using MisSend.Core.Notices;
using MisSend.Functions;
using static MisSend.Integration.Tests.NoticeKit;

namespace MisSend.Integration.Tests;

/// <summary>Issue 4: the HTTP functions, resolved from the app's registration and called with real HttpRequests.</summary>
[Collection(PipelineCollection.Name)]
public sealed class IncidentHttpTests(AzuriteFixture azurite)
{
    private static int Status(IActionResult r) => r switch
    {
        ObjectResult o => o.StatusCode ?? 200,
        ContentResult c => c.StatusCode ?? 200,
        StatusCodeResult s => s.StatusCode,
        _ => throw new InvalidOperationException(r.GetType().Name),
    };

    private static string Content(IActionResult r) => Assert.IsType<ContentResult>(r).Content!;

    [Fact]
    public async Task Confirmation_link_records_only_on_post_only_for_its_own_recipient_and_rejects_expired_or_forged_tokens()
    {
        var clock = new ManualClock();
        await using var h = await Harness.StartAsync(azurite, time: clock);
        StubNotices(h);
        var a = Batches.Person(1);
        var b = Batches.Person(2);
        var subject = Batches.Person(3);
        var incident1 = await SeedIncidentAsync(h, [(a, subject), (b, subject)], "ja");
        var incident2 = await SeedIncidentAsync(h, [(a, Batches.Person(4))], "ja");
        await h.Dispatcher().DispatchAsync(default);
        var deletes = Notices(h).Where(n => n.Kind == NoticeDispatcher.DeleteRequest).ToList();
        var tokenA1 = ConfirmToken(deletes.Single(n => n.Email == a.Email && n.Body["custom_args"]!["incident"]!.GetValue<string>() == incident1).Text);
        var tokenB1 = ConfirmToken(deletes.Single(n => n.Email == b.Email).Text);
        var confirm = h.Services.GetRequiredService<ConfirmDeleted>();
        async Task<DateTimeOffset?> ConfirmedAt(string incident, Person p) =>
            (await h.Store().GetAsync(incident, NoticeStore.RowKey(NoticeDispatcher.DeleteRequest, p.Email), default))!.ConfirmedDeletedAt;
        async Task<int> ReportCount(string incident) => (await h.IncidentService().ReportAsync(incident, default))!.Notices.ConfirmedDeletedUnread;

        // GET (a mail scanner following the link) shows the form and records nothing.
        var get = await confirm.Run(HttpRequest("GET", query: "?token=" + Uri.EscapeDataString(tokenA1)), default);
        Assert.Equal(200, Status(get));
        Assert.Contains("<form method=\"post\"", Content(get));
        Assert.Null(await ConfirmedAt(incident1, a));
        Assert.Equal(0, await ReportCount(incident1));

        var post = await confirm.Run(HttpRequest("POST", query: "?token=" + Uri.EscapeDataString(tokenA1)), default);
        Assert.Equal(200, Status(post));
        Assert.NotNull(await ConfirmedAt(incident1, a));
        Assert.Null(await ConfirmedAt(incident1, b));
        Assert.Null(await ConfirmedAt(incident2, a)); // the same person's copy from another incident is not confirmed by this link
        var report = (await h.IncidentService().ReportAsync(incident1, default))!;
        Assert.Equal((1, 1), (report.Notices.ConfirmedDeletedUnread, report.Scope!.WrongRecipients - report.Notices.ConfirmedDeletedUnread));
        Assert.Contains(report.Timeline, e => e.Kind == MisSend.Core.Reports.TimelineEventKind.DeletedUnreadConfirmed);
        Assert.Equal(0, await ReportCount(incident2));

        // Idempotent.
        Assert.Equal(200, Status(await confirm.Run(HttpRequest("POST", query: "?token=" + Uri.EscapeDataString(tokenA1)), default)));
        Assert.Equal(1, await ReportCount(incident1));

        // Forged: a changed signature, a changed payload under the old signature, a token signed with another key.
        var (payload, signature) = (tokenB1[..tokenB1.LastIndexOf('.')], tokenB1[(tokenB1.LastIndexOf('.') + 1)..]);
        var flipped = payload + "." + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];
        var claimsA = ConfirmationToken.Validate(tokenA1, h.SigningKey(), clock.GetUtcNow()).Claims!;
        var otherToken = ConfirmationToken.Create(claimsA with { RecipientKey = StorageKeys.Hash(b.Email) }, h.SigningKey());
        var otherPayload = otherToken[..otherToken.LastIndexOf('.')];
        var swapped = tokenA1[..tokenA1.LastIndexOf('.')] == otherPayload ? throw new InvalidOperationException() : otherPayload + tokenA1[tokenA1.LastIndexOf('.')..];
        var foreignKey = ConfirmationToken.Create(claimsA with { RecipientKey = StorageKeys.Hash(b.Email) }, new byte[32]);
        foreach (var forged in new[] { flipped, swapped, foreignKey, "not-a-token", "" })
        {
            var r = await confirm.Run(HttpRequest("POST", query: "?token=" + Uri.EscapeDataString(forged)), default);
            Assert.Equal(400, Status(r));
        }

        // A genuine token for someone who got no delete request (the data subject) confirms nobody.
        var forSubject = ConfirmationToken.Create(claimsA with { RecipientKey = StorageKeys.Hash(subject.Email) }, h.SigningKey());
        Assert.Equal(400, Status(await confirm.Run(HttpRequest("POST", query: "?token=" + Uri.EscapeDataString(forSubject)), default)));
        Assert.Null(await ConfirmedAt(incident1, b));

        // Expired: the link is 30 days valid.
        clock.Advance(TimeSpan.FromDays(31));
        var expired = await confirm.Run(HttpRequest("POST", query: "?token=" + Uri.EscapeDataString(tokenB1)), default);
        Assert.Equal(410, Status(expired));
        Assert.Null(await ConfirmedAt(incident1, b));
        Assert.Equal(1, await ReportCount(incident1));
    }

    [Fact]
    public async Task OpenIncident_validates_its_input_and_the_next_tick_notifies_the_people_the_ledger_names()
    {
        await using var h = await Harness.StartAsync(azurite);
        StubNotices(h);
        var http = h.Services.GetRequiredService<IncidentHttp>();
        var jobId = Batches.NewJobId();
        var (p0, p1, p2) = (Batches.Person(10), Batches.Person(11), Batches.Person(12));
        var sentAt = DateTimeOffset.UtcNow.AddHours(-2);
        DataCategory[] categories = [DataCategory.Name, DataCategory.Amount];
        await h.Ledger.RecordDeliveriesAsync(jobId, 1,
        [
            new Delivery(0, p0.Email, "e:" + p1.Email, p1.Email, categories, OwnerConfirmed: false, Misdirected: true),
            new Delivery(1, p1.Email, "e:" + p1.Email, p1.Email, categories, OwnerConfirmed: true, Misdirected: false),
            new Delivery(2, p2.Email, "e:" + p2.Email, p2.Email, categories, OwnerConfirmed: true, Misdirected: false),
        ], sentAt, default);
        await h.Jobs.MarkJobSentAsync(jobId, 1, sentAt, default);

        Assert.Equal(400, Status(await http.Open(HttpRequest("POST", "{\"jobId\": "), default)));
        Assert.Equal(400, Status(await http.Open(HttpRequest("POST", "[1,2]"), default)));
        Assert.Equal(400, Status(await http.Open(HttpRequest("POST", "{}"), default)));
        Assert.Equal(400, Status(await http.Open(HttpRequest("POST", JsonSerializer.Serialize(new { jobId })), default)));
        Assert.Equal(400, Status(await http.Open(HttpRequest("POST", JsonSerializer.Serialize(new { jobId, reason = "  " })), default)));
        Assert.Equal(404, Status(await http.Open(HttpRequest("POST", JsonSerializer.Serialize(new { jobId = "job-unknown", reason = "phoned in" })), default)));
        Assert.Empty(await h.Incidents.OpenIncidentsAsync(default));

        var created = await http.Open(HttpRequest("POST", JsonSerializer.Serialize(new { jobId, reason = "customers phoned in" })), default);

        Assert.Equal(201, Status(created));
        var incidentId = JsonSerializer.SerializeToNode(((ObjectResult)created).Value)!["incidentId"]!.GetValue<string>();
        Assert.Equal(StorageKeys.IncidentFor(jobId), incidentId);
        Assert.Empty(h.MailSends);

        await h.Dispatcher().DispatchAsync(default);

        var sent = Notices(h);
        Assert.Equal([(p1.Email, NoticeDispatcher.Apology), (p0.Email, NoticeDispatcher.DeleteRequest)],
            sent.Select(n => (n.Email, n.Kind)).OrderBy(x => x.Kind));
        var report = (await h.IncidentService().ReportAsync(incidentId, default))!;
        Assert.Equal(MisSend.Core.Incidents.IncidentSource.Operator, report.Source);
        Assert.Equal("customers phoned in", report.OpenedReason);
        Assert.Contains(report.Timeline, e => e.Kind == MisSend.Core.Reports.TimelineEventKind.IncidentOpened);
        Assert.Equal(sentAt, report.OccurredAt);
    }

    [Fact]
    public async Task IncidentReport_is_404_for_an_unknown_incident_and_markdown_or_json_otherwise()
    {
        await using var h = await Harness.StartAsync(azurite);
        StubNotices(h);
        var http = h.Services.GetRequiredService<IncidentHttp>();
        var incidentId = await SeedIncidentAsync(h, [(Batches.Person(1), Batches.Person(2))], "ja");
        await h.Dispatcher().DispatchAsync(default);

        Assert.Equal(404, Status(await http.Report(HttpRequest("GET"), "INC-NOPE", default)));

        var ja = Assert.IsType<ContentResult>(await http.Report(HttpRequest("GET"), incidentId, default));
        Assert.StartsWith("text/markdown", ja.ContentType);
        Assert.StartsWith($"# 個人データ漏えい等事案 報告書 {incidentId}", ja.Content);
        var en = Assert.IsType<ContentResult>(await http.Report(HttpRequest("GET", query: "?lang=en"), incidentId, default));
        Assert.StartsWith($"# Personal data breach report {incidentId}", en.Content);
        var json = Assert.IsType<ContentResult>(await http.Report(HttpRequest("GET", query: "?format=json&lang=en"), incidentId, default));
        Assert.StartsWith("application/json", json.ContentType);
        var node = JsonNode.Parse(json.Content!)!;
        Assert.Equal(incidentId, node["report"]!["incidentId"]!.GetValue<string>());
        Assert.Equal(1, node["report"]!["scope"]!["dataSubjects"]!.GetValue<int>());
        Assert.Equal("risk", node["gdpr"]!["risk"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReleaseChunk_refuses_a_still_leaky_chunk_sends_it_once_under_a_policy_that_passes_and_DiscardChunk_discards()
    {
        await using var h = await Harness.StartAsync(azurite);
        StubNotices(h);
        var http = h.Services.GetRequiredService<IncidentHttp>();
        var jobId = Batches.NewJobId();
        // Chunk 1: each guide is cc'd to the ticket office's staff mailbox, which the job's policy did not declare.
        var mail = Batches.Mail(Batches.People(0, 5));
        foreach (var p in mail["personalizations"]!.AsArray())
        {
            p!["cc"] = new JsonArray(new JsonObject { ["email"] = "office@staff.reds-seasonticket.example.jp" });
        }

        var r1 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 2, mail)));
        var r2 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 2, 2, Batches.Mail(Batches.People(5, 5)))));
        Assert.Equal([InspectionOutcome.Halted, InspectionOutcome.Contained], [r1.Outcome, r2.Outcome]);
        Assert.Empty(h.MailSends);

        var refused = await http.Release(HttpRequest("POST"), jobId, 1, default);
        Assert.Equal(409, Status(refused));
        var decision = Assert.IsType<ChunkDecision>(((ObjectResult)refused).Value);
        Assert.False(decision.Done);
        Assert.NotEmpty(decision.Findings!);
        Assert.Empty(h.MailSends);
        Assert.Equal(ChunkStates.Quarantined, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);

        Assert.Equal(400, Status(await http.Release(HttpRequest("POST", "{\"internalDomains\": "), jobId, 1, default)));
        Assert.Empty(h.MailSends);

        var policy = "{\"internalDomains\": [\"staff.reds-seasonticket.example.jp\"]}";
        var released = await http.Release(HttpRequest("POST", policy), jobId, 1, default);
        Assert.Equal(200, Status(released));
        var send = Assert.Single(h.MailSends);
        Assert.True(JsonNode.DeepEquals(mail, Harness.Body(send)));
        Assert.Equal(ChunkStates.Sent, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);
        Assert.Equal(5, (await h.Ledger.DeliveriesAsync(jobId, default)).Count);

        Assert.Equal(409, Status(await http.Release(HttpRequest("POST", policy), jobId, 1, default)));
        Assert.Single(h.MailSends);

        Assert.Equal(409, Status(await http.Discard(HttpRequest("POST"), jobId, 9, default)));
        Assert.Equal(200, Status(await http.Discard(HttpRequest("POST"), jobId, 2, default)));
        Assert.Equal(ChunkStates.Discarded, (await h.Jobs.GetChunkAsync(jobId, 2, default))!.State);
        Assert.Equal(409, Status(await http.Discard(HttpRequest("POST"), jobId, 2, default)));
        Assert.Equal(409, Status(await http.Release(HttpRequest("POST", policy), jobId, 2, default)));
        Assert.Single(h.MailSends);
    }
}
