using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Incidents;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Reports;
using MisSend.Functions;
using static MisSend.Integration.Tests.NoticeKit;

namespace MisSend.Integration.Tests;

/// <summary>The HTTP functions, resolved from the app's registration and called with real HttpRequests.</summary>
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

    private static Microsoft.AspNetCore.Http.HttpRequest CsvRequest(string csv)
    {
        var request = HttpRequest("POST", csv);
        request.ContentType = "text/csv; charset=utf-8";
        return request;
    }

    [Fact]
    public async Task Confirmation_link_records_only_on_post_only_for_its_own_recipient_and_rejects_expired_or_forged_tokens()
    {
        var clock = new ManualClock();
        await using var h = await Harness.StartAsync(azurite, time: clock);
        h.StubSendGrid();
        var a = Batches.Person(1);
        var b = Batches.Person(2);
        var subject = Batches.Person(3);
        var incident1 = await SeedIncidentAsync(h, [(a, subject), (b, subject)], "ja");
        var incident2 = await SeedIncidentAsync(h, [(a, Batches.Person(4))], "ja");
        await h.Dispatcher.DispatchAsync(default);
        var deletes = Notices(h).Where(n => n.Kind == DeleteRequest).ToList();
        var tokenA1 = ConfirmToken(deletes.Single(n => n.Email == a.Email && n.Body["custom_args"]!["incident"]!.GetValue<string>() == incident1).Text);
        var tokenB1 = ConfirmToken(deletes.Single(n => n.Email == b.Email).Text);
        var confirm = h.Services.GetRequiredService<ConfirmDeleted>();
        string KeyOf(Holder p) => RecipientKey.For(p.Email, h.SigningKey());
        async Task<DateTimeOffset?> ConfirmedAt(string incident, Holder p) =>
            (await h.Notices.GetAsync(incident, NoticeKind.DeleteRequest, KeyOf(p), default))!.ConfirmedDeletedAt;
        async Task<int> ReportCount(string incident) => (await h.IncidentService.ReportAsync(incident, default))!.Notices.ConfirmedDeletedUnread;

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
        var report = (await h.IncidentService.ReportAsync(incident1, default))!;
        Assert.Equal((1, 2), (report.Notices.ConfirmedDeletedUnread, report.Scope!.WrongRecipients));
        Assert.Contains(report.Timeline, e => e.Kind == TimelineEventKind.DeletedUnreadConfirmed && e.Count == 1 && e.Actor.Role == ActorRole.Recipient);
        Assert.Contains("確認できた方 1名、確認できていない方 1名", IncidentReportRenderer.ToMarkdown(report, "ja"));
        Assert.Equal(0, await ReportCount(incident2));

        // Idempotent.
        Assert.Equal(200, Status(await confirm.Run(HttpRequest("POST", query: "?token=" + Uri.EscapeDataString(tokenA1)), default)));
        Assert.Equal(1, await ReportCount(incident1));

        // Forged: a changed signature, a changed payload under the old signature, a token signed with another key.
        var (payload, signature) = (tokenB1[..tokenB1.LastIndexOf('.')], tokenB1[(tokenB1.LastIndexOf('.') + 1)..]);
        var flipped = payload + "." + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];
        var claimsA = ConfirmationToken.Validate(tokenA1, h.SigningKey(), clock.GetUtcNow()).Claims!;
        var otherToken = ConfirmationToken.Create(claimsA with { RecipientKey = KeyOf(b) }, h.SigningKey());
        var otherPayload = otherToken[..otherToken.LastIndexOf('.')];
        var swapped = tokenA1[..tokenA1.LastIndexOf('.')] == otherPayload ? throw new InvalidOperationException() : otherPayload + tokenA1[tokenA1.LastIndexOf('.')..];
        var foreignKey = ConfirmationToken.Create(claimsA with { RecipientKey = KeyOf(b) }, new byte[32]);

        // Anyone with a list of addresses cannot forge a link from them: a plain hash names nobody's row.
        var unkeyed = ConfirmationToken.Create(claimsA with { RecipientKey = Keys.Hash(b.Email) }, h.SigningKey());
        foreach (var forged in new[] { flipped, swapped, foreignKey, unkeyed, "not-a-token", "" })
        {
            var r = await confirm.Run(HttpRequest("POST", query: "?token=" + Uri.EscapeDataString(forged)), default);
            Assert.Equal(400, Status(r));
        }

        // A genuine token for someone who got no delete request (the data subject) confirms nobody.
        var forSubject = ConfirmationToken.Create(claimsA with { RecipientKey = KeyOf(subject) }, h.SigningKey());
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
    public async Task OpenIncident_validates_its_input_opens_a_reported_incident_and_notifies_nobody_until_its_scope_is_declared()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid();
        var http = h.Services.GetRequiredService<IncidentHttp>();
        var scopeHttp = h.Services.GetRequiredService<IncidentScopeHttp>();
        var jobId = Batches.NewJobId();
        var (p0, p1, p2) = (Batches.Person(10), Batches.Person(11), Batches.Person(12));
        var sentAt = DateTimeOffset.UtcNow.AddHours(-2);
        DataCategory[] categories = [DataCategory.Name, DataCategory.Amount];

        // The detector passed the job: every delivery was taken for its recipient's own.
        await h.Ledger.RecordAsync([.. new[] { p0, p1, p2 }.Select((p, i) =>
            new LedgerDelivery(jobId, 1, i, p.Email, "e:" + p.Email, p.Email, categories, OwnerConfirmed: true, Misdirected: false, p.Name))], default);
        await h.Jobs.TryAddJobAsync(new JobRecord(jobId) { ChunkCount = 1, FirstSentAt = sentAt }, default);
        await h.Jobs.TryAddChunkAsync(new ChunkRecord(jobId, 1) { State = ChunkState.Sent, SentAt = sentAt, Recipients = 3, SafeSubject = "2027シーズンチケット お支払いのご案内" }, default);

        Assert.Equal(400, Status(await http.Open(HttpRequest("POST", "{\"jobId\": "), default)));
        Assert.Equal(400, Status(await http.Open(HttpRequest("POST", "[1,2]"), default)));
        Assert.Equal(400, Status(await http.Open(HttpRequest("POST", "{}"), default)));
        Assert.Equal(400, Status(await http.Open(HttpRequest("POST", JsonSerializer.Serialize(new { jobId })), default)));
        Assert.Equal(400, Status(await http.Open(HttpRequest("POST", JsonSerializer.Serialize(new { jobId, reason = "  " })), default)));
        Assert.Equal(404, Status(await http.Open(HttpRequest("POST", JsonSerializer.Serialize(new { jobId = "job-unknown", reason = "phoned in" })), default)));
        Assert.Empty(await h.Incidents.ListOpenAsync(default));

        var created = await http.Open(HttpRequest("POST", JsonSerializer.Serialize(new { jobId, reason = "お客様から、他人の請求金額が届いたと電話がありました" })), default);

        Assert.Equal(201, Status(created));
        var answer = JsonSerializer.SerializeToNode(((ObjectResult)created).Value)!;
        var incidentId = answer["incidentId"]!.GetValue<string>();
        Assert.Equal((Keys.IncidentFor(jobId), "reported"), (incidentId, answer["kind"]!.GetValue<string>()));

        // Under investigation: nobody is told anything, and the report says the scope is not known.
        await h.Dispatcher.DispatchAsync(default);
        Assert.Empty(h.MailSends);
        var report = (await h.IncidentService.ReportAsync(incidentId, default))!;
        Assert.Equal((IncidentKind.Reported, IncidentSource.Operator, "お客様から、他人の請求金額が届いたと電話がありました"), (report.Kind, report.Source, report.OpenedReason));
        Assert.Null(report.Scope);
        Assert.Equal(ReportStatus.UnderInvestigation, ReportAssessment.Status(report));
        Assert.Equal((ActorRole.Operator, $"local:{Environment.UserName}"), (report.KindHistory[0].By.Role, report.KindHistory[0].By.Name));
        Assert.Contains(report.Timeline, e => e.Kind == TimelineEventKind.IncidentOpened);
        Assert.Contains(report.Timeline, e => e.Kind == TimelineEventKind.ChunkSent && e.At == sentAt && e.Count == 3);
        Assert.Equal(sentAt, report.OccurredAt);
        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        Assert.Contains("届いた範囲は調査中であり、まだ確定していません。", ja);
        Assert.DoesNotContain("外部に届いた個人データはありません", ja);
        Assert.Contains(await h.Incidents.EventsAsync(incidentId, default), e => e.Kind == IncidentEventKind.Opened && e.Who == $"local:{Environment.UserName}");

        // The scope, declared by a list: p0 got p1's amount, p1 got p2's.
        var csv = $"recipient,subject,categories\n{p0.Email},{p1.Email},amount\n{p1.Email},{p2.Email},amount\n";
        var declared = await scopeHttp.DeclareScope(CsvRequest(csv), incidentId, default);
        Assert.Equal(200, Status(declared));
        var body = JsonSerializer.SerializeToNode(((ObjectResult)declared).Value)!;
        Assert.Equal(("first", 2, 2, 2L), (body["mode"]!.GetValue<string>(), body["scope"]!["dataSubjects"]!.GetValue<int>(), body["scope"]!["wrongRecipients"]!.GetValue<int>(), body["scope"]!["exposures"]!.GetValue<long>()));
        Assert.DoesNotContain("@", body.ToJsonString()); // counts only: the answer may be shown or logged
        Assert.Empty(h.MailSends);

        await h.Dispatcher.DispatchAsync(default);

        var sent = Notices(h);
        Assert.Equal([(p1.Email, Apology), (p2.Email, Apology), (p0.Email, DeleteRequest), (p1.Email, DeleteRequest)],
            sent.Select(n => (n.Email, n.Kind)).OrderBy(x => x.Kind).ThenBy(x => x.Email == p0.Email ? 0 : x.Email == p1.Email ? 1 : 2));
        Assert.StartsWith(p2.Name + " 様", sent.Single(n => n.Email == p2.Email && n.Kind == Apology).Text);
        Assert.Contains("件名「2027シーズンチケット お支払いのご案内」の", sent.Single(n => n.Email == p0.Email).Text);
        report = (await h.IncidentService.ReportAsync(incidentId, default))!;
        Assert.Equal((ScopeBasis.Declared, 2, 2), (report.Scope!.Basis, report.Scope.DataSubjects, report.Scope.WrongRecipients));
        Assert.Equal([DataCategory.Amount], report.Scope.Categories);
        Assert.Contains(report.Timeline, e => e.Kind == TimelineEventKind.ScopeDeclared && e.Declaration == ScopeDeclarationKind.List && e.Actor.Name == $"local:{Environment.UserName}");
    }

    [Fact]
    public async Task IncidentReport_is_404_for_an_unknown_incident_and_markdown_or_json_otherwise()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid();
        var http = h.Services.GetRequiredService<IncidentHttp>();
        var incidentId = await SeedIncidentAsync(h, [(Batches.Person(1), Batches.Person(2))], "ja");
        await h.Dispatcher.DispatchAsync(default);

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
        Assert.Equal(("leak", "detector"), (node["report"]!["kind"]!.GetValue<string>(), node["report"]!["source"]!.GetValue<string>()));
        Assert.Equal("risk", node["gdpr"]!["risk"]!.GetValue<string>()); // name, e-mail, amount, seat: no card or bank number, nothing sensitive
        Assert.Equal("undetermined", node["appi"]!["requirement"]!.GetValue<string>()); // unlawful purpose not recorded yet
    }

    [Fact]
    public async Task ReleaseChunk_refuses_a_still_leaky_chunk_sends_it_once_under_a_policy_that_passes_and_DiscardChunk_discards()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid();
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

        // The job is halted: without an explicit decision nothing is released, whatever the policy.
        var policy = "{\"internalDomains\": [\"staff.reds-seasonticket.example.jp\"]}";
        var undecided = await http.Release(HttpRequest("POST", policy), jobId, 1, default);
        Assert.Equal(409, Status(undecided));
        Assert.Contains("releaseHaltedJob", Assert.IsType<ChunkDecision>(((ObjectResult)undecided).Value).Message);

        var refused = await http.Release(HttpRequest("POST", "{\"releaseHaltedJob\": true, \"reason\": \"checked by the office\"}"), jobId, 1, default);
        Assert.Equal(409, Status(refused));
        var decision = Assert.IsType<ChunkDecision>(((ObjectResult)refused).Value);
        Assert.False(decision.Done);
        Assert.NotEmpty(decision.Findings!);
        Assert.Empty(h.MailSends);
        Assert.Equal(ChunkState.Quarantined, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);

        Assert.Equal(400, Status(await http.Release(HttpRequest("POST", "{\"internalDomains\": "), jobId, 1, default)));
        Assert.Empty(h.MailSends);

        var decided = $"{{\"policy\": {policy}, \"releaseHaltedJob\": true, \"reason\": \"the staff mailbox is ours\"}}";
        var released = await http.Release(HttpRequest("POST", decided), jobId, 1, default);
        Assert.Equal(200, Status(released));
        var send = Assert.Single(h.MailSends);
        Assert.True(JsonNode.DeepEquals(mail, Harness.SentMail(send)));
        Assert.Equal(ChunkState.Sent, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);
        Assert.Equal(5, (await h.Ledger.DeliveriesAsync(jobId, default)).Count);
        var events = await h.Incidents.EventsAsync(r1.IncidentId!, default);
        Assert.Contains(events, e => e.Kind == IncidentEventKind.ReleaseDecision && e.Who == $"local:{Environment.UserName}" && e.Reason == "the staff mailbox is ours");

        Assert.Equal(409, Status(await http.Release(HttpRequest("POST", decided), jobId, 1, default)));
        Assert.Single(h.MailSends);

        Assert.Equal(409, Status(await http.Discard(HttpRequest("POST"), jobId, 9, default)));
        Assert.Equal(200, Status(await http.Discard(HttpRequest("POST"), jobId, 2, default)));
        Assert.Equal(ChunkState.Discarded, (await h.Jobs.GetChunkAsync(jobId, 2, default))!.State);
        Assert.Equal(409, Status(await http.Discard(HttpRequest("POST"), jobId, 2, default)));
        Assert.Equal(409, Status(await http.Release(HttpRequest("POST", decided), jobId, 2, default)));
        Assert.Single(h.MailSends);
    }
}
