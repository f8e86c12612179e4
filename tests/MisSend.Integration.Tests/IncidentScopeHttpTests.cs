using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Core.Incidents;
using MisSend.Core.Reports;
using MisSend.Functions;
using static MisSend.Integration.Tests.NoticeKit;

namespace MisSend.Integration.Tests;

/// <summary>
/// The scope and records routes on Azurite, through the pipeline's own records: one incident of each kind, its
/// scope declared by HTTP (JSON or CSV), bad input refused with reasons, and the reports each kind gets.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class IncidentScopeHttpTests(AzuriteFixture azurite)
{
    private static int Status(IActionResult r) => r is ObjectResult o ? o.StatusCode ?? 200 : throw new InvalidOperationException(r.GetType().Name);

    private static JsonNode Body(IActionResult r) => JsonSerializer.SerializeToNode(((ObjectResult)r).Value)!;

    private static HttpRequest Request(string body, string contentType)
    {
        var request = HttpRequest("POST", body);
        request.ContentType = contentType;
        return request;
    }

    /// <summary>A payment guide the detector passes (every mail names its own holder), sent through the pipeline.</summary>
    private static async Task<string> SentGuideAsync(Harness h, int people = 4)
    {
        var jobId = Batches.NewJobId();
        var result = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 1, Batches.Mail(Batches.People(60, people)))));
        Assert.Equal(InspectionOutcome.Sent, result.Outcome);
        return jobId;
    }

    [Fact]
    public async Task Scope_route_refuses_bad_input_with_reasons_and_lines_and_declares_once_valid()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid();
        var http = h.Services.GetRequiredService<IncidentScopeHttp>();
        var jobId = await SentGuideAsync(h);
        var incident = await h.IncidentService.OpenAsync(jobId, "お客様から、他人の席種が届いたと電話がありました", new OperatorAction("function key"), default);
        var (p60, p61, p62) = (Batches.Person(60), Batches.Person(61), Batches.Person(62));

        Assert.Equal(404, Status(await http.DeclareScope(Request("{\"everyone\": true}", "application/json"), "INC-000000000000", default)));
        Assert.Equal(400, Status(await http.DeclareScope(Request("{\"everyone\": ", "application/json"), incident.IncidentId, default)));
        Assert.Equal(400, Status(await http.DeclareScope(Request("{\"shift\": 1}", "application/json"), incident.IncidentId, default)));

        // A misspelt field is refused, never ignored: here it would declare every item shifted instead of the seat only.
        Assert.Equal(400, Status(await http.DeclareScope(Request("{\"shifted\": 1, \"category\": [\"seat\"]}", "application/json"), incident.IncidentId, default)));
        Assert.Equal(400, Status(await http.DeclareScope(Request("{}", "application/json"), incident.IncidentId, default)));
        Assert.Equal(400, Status(await http.DeclareScope(Request("{\"everyone\": true, \"shifted\": 1}", "application/json"), incident.IncidentId, default)));
        var badCategory = await http.DeclareScope(Request("{\"shifted\": 1, \"categories\": [\"amount\", \"shoe-size\"]}", "application/json"), incident.IncidentId, default);
        Assert.Equal(400, Status(badCategory));
        Assert.Contains("shoe-size", Body(badCategory)["error"]!.GetValue<string>());
        var badShift = await http.DeclareScope(Request("{\"shifted\": 9}", "application/json"), incident.IncidentId, default);
        Assert.Equal("bad-shift", Body(badShift)["errors"]![0]!["code"]!.GetValue<string>());

        var csv = $"recipient,subject\n{p60.Email},{p61.Email}\nnobody@elsewhere.example.jp,{p62.Email}\n{p61.Email},{p61.Email}\n\"{p62.Email},{p60.Email}\n";
        var refused = await http.DeclareScope(Request(csv, "text/csv"), incident.IncidentId, default);
        Assert.Equal(400, Status(refused));
        var errors = Body(refused)["errors"]!.AsArray();
        Assert.Equal([(5, "unterminated-quote")], errors.Select(e => (e!["line"]!.GetValue<int>(), e["code"]!.GetValue<string>())));
        Assert.StartsWith("5行目: ", errors[0]!["messageJa"]!.GetValue<string>());

        var strangers = await http.DeclareScope(Request($"recipient,subject\n{p60.Email},{p61.Email}\nnobody@elsewhere.example.jp,{p62.Email}\n{p61.Email},{p61.Email}\n", "text/csv"), incident.IncidentId, default);
        Assert.Equal([(3, "unknown-recipient"), (4, "own-data")], Body(strangers)["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<int>(), e["code"]!.GetValue<string>())));
        Assert.DoesNotContain("nobody@elsewhere.example.jp", Body(strangers).ToJsonString()); // masked: answers may be logged

        var tooLarge = await http.DeclareScope(Request(new string('a', IncidentRequests.MaxCsvBytes + 1), "text/csv"), incident.IncidentId, default);
        Assert.Equal(413, Status(tooLarge));
        var unannounced = Request(new string('a', IncidentRequests.MaxCsvBytes + 1), "text/csv");
        unannounced.ContentLength = null; // chunked: the size is only known by reading
        Assert.Equal(413, Status(await http.DeclareScope(unannounced, incident.IncidentId, default)));
        Assert.Empty((await h.Incidents.GetAsync(incident.IncidentId, default))!.Declarations);
        await h.Dispatcher.DispatchAsync(default);
        Assert.Empty(Notices(h));

        // Shift JIS, as Excel saves a Japanese CSV, with Japanese headers.
        var sjis = CodePagesEncoding().GetBytes($"受信者,本人,項目\n{p60.Email},{p61.Email},席種\n");
        var request = HttpRequest("POST");
        request.Body = new MemoryStream(sjis);
        request.ContentLength = sjis.Length;
        request.ContentType = "text/csv";
        var declared = await http.DeclareScope(request, incident.IncidentId, default);
        Assert.Equal(200, Status(declared));
        Assert.Equal(("first", 1, 1), (Body(declared)["mode"]!.GetValue<string>(), Body(declared)["scope"]!["dataSubjects"]!.GetValue<int>(), Body(declared)["scope"]!["wrongRecipients"]!.GetValue<int>()));
        Assert.Equal(["seat"], Body(declared)["scope"]!["categories"]!.AsArray().Select(c => c!.GetValue<string>()));

        await h.Dispatcher.DispatchAsync(default);
        Assert.Equal([(p61.Email, Apology), (p60.Email, DeleteRequest)], Notices(h).Select(n => (n.Email, n.Kind)).OrderBy(x => x.Kind));
        Assert.Contains("・届いた情報：席種", Notices(h).Single(n => n.Kind == Apology).Text);
    }

    [Fact]
    public async Task Records_route_updates_only_what_it_is_given_and_refuses_what_it_cannot_read()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid();
        var http = h.Services.GetRequiredService<IncidentScopeHttp>();
        var jobId = await SentGuideAsync(h, people: 2);
        var incident = await h.IncidentService.OpenAsync(jobId, "phoned in", new OperatorAction("function key"), default);

        Assert.Equal(404, Status(await http.Records(Request("{\"remarks\": \"x\"}", "application/json"), "INC-000000000000", default)));
        Assert.Equal(400, Status(await http.Records(Request("{\"unlawfulPurpose\": \"maybe\"}", "application/json"), incident.IncidentId, default)));
        Assert.Equal(400, Status(await http.Records(Request("{\"publishedAt\": \"yesterday\"}", "application/json"), incident.IncidentId, default)));
        Assert.Equal(400, Status(await http.Records(Request("{\"remark\": \"typo\"}", "application/json"), incident.IncidentId, default)));
        Assert.Equal(400, Status(await http.Records(Request("{}", "application/json"), incident.IncidentId, default)));
        Assert.Equal(400, Status(await http.Records(Request(JsonSerializer.Serialize(new { remarks = new string('あ', 2001) }), "application/json"), incident.IncidentId, default)));

        var first = await http.Records(Request("{\"unlawfulPurpose\": \"no\", \"reportedToRegulatorAt\": \"2026-11-30T17:00:00+09:00\"}", "application/json"), incident.IncidentId, default);
        var second = await http.Records(Request("{\"secondaryHarm\": \"yes\", \"secondaryHarmNote\": \"不審な電話が1件あったとの連絡\"}", "application/json"), incident.IncidentId, default);

        Assert.Equal((200, 200), (Status(first), Status(second)));
        var records = (await h.Incidents.GetAsync(incident.IncidentId, default))!.Records;
        Assert.Equal((Answer.No, Answer.Yes, "不審な電話が1件あったとの連絡"), (records.UnlawfulPurpose, records.SecondaryHarm, records.SecondaryHarmNote));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), records.ReportedToRegulatorAt);
        var ja = IncidentReportRenderer.ToMarkdown((await h.IncidentService.ReportAsync(incident.IncidentId, default))!, "ja");
        Assert.Contains("二次被害の有無: あり（不審な電話が1件あったとの連絡）", ja);
        Assert.Contains($"個人情報保護委員会へ報告 | 担当者（local:{Environment.UserName}） |", ja);
    }

    [Fact]
    public async Task Each_kind_s_report_is_read_from_the_records_on_Azurite()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid();
        var http = h.Services.GetRequiredService<IncidentScopeHttp>();

        var nearMiss = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(Batches.NewJobId(), 1, 1, Batches.LeakByBcc(Batches.Mail(Batches.People(0, 4))))));
        var leakJob = Batches.NewJobId();
        await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(leakJob, 1, 2, Batches.Mail(Batches.People(10, 3), dataFor: p => p.Index == 10 ? Batches.Person(40) : p, identity: false), Policy())));
        var leak = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(leakJob, 2, 2, Batches.Mail(new[] { Batches.Person(10) }.Concat(Batches.People(20, 2)), dataFor: p => p.Index == 10 ? Batches.Person(50) : p, identity: false), Policy())));
        var reportedJob = await SentGuideAsync(h);
        var reported = await h.IncidentService.OpenAsync(reportedJob, "お客様から電話がありました", new OperatorAction("function key"), default);
        Assert.Equal(200, Status(await http.DeclareScope(Request("{\"everyone\": true}", "application/json"), reported.IncidentId, default)));
        await h.Dispatcher.DispatchAsync(default);

        var near = (await h.IncidentService.ReportAsync(nearMiss.IncidentId!, default))!;
        Assert.Equal((IncidentKind.NearMiss, (ReportScope?)null, 1, 3), (near.Kind, near.Scope, near.Prevented!.DataSubjects, near.Prevented.WrongRecipients));
        Assert.StartsWith("# ヒヤリハット記録", IncidentReportRenderer.ToMarkdown(near, "ja"));
        Assert.Equal("near-miss", JsonNode.Parse(IncidentReportRenderer.ToJson(near))!["report"]!["kind"]!.GetValue<string>());

        var leaked = (await h.IncidentService.ReportAsync(leak.IncidentId!, default))!;
        Assert.Equal((IncidentKind.Leak, ScopeBasis.Ledger, 1L), (leaked.Kind, leaked.Scope!.Basis, leaked.Scope.Exposures));
        Assert.Contains(leaked.Timeline, e => e.Kind == TimelineEventKind.ChunkSent && e.Chunk == 1 && e.Count == 3);
        Assert.Contains(leaked.Timeline, e => e.Kind == TimelineEventKind.NoticeWave && e.Notice == Core.Notices.NoticeKind.DeleteRequest);
        Assert.Contains("分割送信の第2回の送信前検査で、個人データが本人以外に届くおそれを検知", IncidentReportRenderer.ToMarkdown(leaked, "ja"));

        var declared = (await h.IncidentService.ReportAsync(reported.IncidentId, default))!;
        Assert.Equal((IncidentKind.Reported, ScopeBasis.Declared, 4, 4, 12L), (declared.Kind, declared.Scope!.Basis, declared.Scope.DataSubjects, declared.Scope.WrongRecipients, declared.Scope.Exposures));
        Assert.Equal((4, 4), (declared.Notices.Apologies.Sent, declared.Notices.DeleteRequests.Sent));
        var en = IncidentReportRenderer.ToMarkdown(declared, "en");
        Assert.Contains("every recipient of the job received everyone's personal data", en);
        Assert.Contains("individuals notified", en);
    }

    private static JsonObject Policy() => new() { ["subjectKeyField"] = "member_no", ["language"] = "ja", ["contactEmail"] = Contact };

    private static Encoding CodePagesEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932);
    }
}
