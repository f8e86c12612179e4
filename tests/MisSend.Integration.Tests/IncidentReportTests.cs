using System.Text.Json.Nodes;
using MisSend.Application.Pipeline;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Reports;
using static MisSend.Integration.Tests.NoticeKit;

namespace MisSend.Integration.Tests;

/// <summary>The report of an incident built by the real pipeline (a fan-in across chunks), field by field.</summary>
[Collection(PipelineCollection.Name)]
public sealed class IncidentReportTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Report_of_a_fan_in_incident_carries_timeline_scope_cause_and_the_APPI_and_GDPR_items_without_personal_data()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.StubSendGrid();
        var jobId = Batches.NewJobId();
        var policy = () => new JsonObject { ["subjectKeyField"] = "member_no", ["language"] = "ja", ["contactEmail"] = Contact };
        var recipient = Batches.Person(0);
        // Chunk 1 goes out: recipient 0 gets member 40's guide. Chunk 2 would give recipient 0 member 50's: halted.
        var chunk1 = Batches.Mail(Batches.People(0, 3), dataFor: p => p.Index == 0 ? Batches.Person(40) : p, identity: false);
        var chunk2 = Batches.Mail(new[] { recipient }.Concat(Batches.People(10, 2)), dataFor: p => p.Index == 0 ? Batches.Person(50) : p, identity: false);
        var r1 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 2, chunk1, policy())));
        var r2 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 2, 2, chunk2, policy())));
        Assert.Equal([InspectionOutcome.Sent, InspectionOutcome.Halted], [r1.Outcome, r2.Outcome]);
        var incidentId = r2.IncidentId!;
        var exposure = Assert.Single((await h.IncidentService.SnapshotAsync(incidentId, default))!.Attribution.Reached);
        var categories = exposure.Categories.Order().ToArray();
        Assert.NotEmpty(categories);
        Assert.Null(exposure.SubjectEmail); // nobody knows member 40's address: an apology cannot be sent

        await h.Dispatcher.DispatchAsync(default);
        var notice = Assert.Single(Notices(h));
        Assert.Equal((recipient.Email, "delete-request"), (notice.Email, notice.Kind));

        var report = (await h.IncidentService.ReportAsync(incidentId, default))!;

        Assert.Equal((incidentId, jobId, IncidentKind.Leak, IncidentSource.Detector), (report.IncidentId, report.JobId, report.Kind, report.Source));
        var events = report.Timeline.OrderBy(e => e.At).Select(e => e.Kind).ToList();
        Assert.Equal([TimelineEventKind.ChunkSent, TimelineEventKind.Detected, TimelineEventKind.Halted, TimelineEventKind.NoticeWave], events);
        Assert.Equal((1, NoticeKind.DeleteRequest), (report.Timeline.Single(e => e.Kind == TimelineEventKind.NoticeWave).Count, report.Timeline.Single(e => e.Kind == TimelineEventKind.NoticeWave).Notice));
        var s = report.Scope!;
        Assert.Equal((1, 1, 1L, 1), (s.DataSubjects, s.WrongRecipients, s.Exposures, s.SubjectsWithoutAddress));
        Assert.Equal((1, 1), (report.Chunks.Sent, report.Chunks.Quarantined));
        Assert.Equal(categories, s.Categories);
        var cause = Assert.Single(report.Findings);
        Assert.Equal((2, Rules.FanInAcrossChunks), (cause.Chunk, cause.Rule));
        Assert.Equal((0, 0, 1, 0, 0), (report.Notices.Apologies.Sent, report.Notices.Apologies.Pending, report.Notices.DeleteRequests.Sent, report.Notices.DeleteRequests.Pending, report.Notices.ConfirmedDeletedUnread));

        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        foreach (var heading in new[] { "## 1. 概要", "## 2. 漏えい等が発生し、又は発生したおそれがある個人データの項目", "## 3. 本人の数", "## 4. 原因",
                     "## 5. 二次被害又はそのおそれの有無及びその内容", "## 6. 本人への対応の実施状況", "## 7. 公表の実施状況", "## 8. 再発防止のための措置",
                     "## 9. その他参考となる事項", "## 10. 報告義務の判定（個人情報保護法施行規則第7条）", "## 11. 一般データ保護規則（GDPR）第33条第3項の項目" })
        {
            Assert.Contains("\n" + heading + "\n", ja);
        }

        Assert.Contains("| 分割送信の第1回を送信", ja);
        Assert.Contains("| 分割送信の第2回の送信前検査で、個人データが本人以外に届くおそれを検知 |", ja);
        Assert.Contains("| 削除のお願いを1名に送信 |", ja);
        Assert.Contains($"## 2. 漏えい等が発生し、又は発生したおそれがある個人データの項目\n\n{string.Join("、", categories.Select(c => c.Japanese()))}\n", ja);
        Assert.Contains("- 本人（個人データが本人以外に届いた方）: 1名（うち連絡先が分からない方 1名）", ja);
        Assert.Contains("- 誤って受け取った方: 1名（未開封のまま削除したと確認できた方 0名、確認できていない方 1名）", ja);
        Assert.Contains(RuleCatalog.Get(Rules.FanInAcrossChunks).CauseJa, ja);
        Assert.DoesNotContain(Rules.FanInAcrossChunks, ja);
        Assert.Contains("これは個人データの漏えいです。", ja);
        Assert.Contains("| 削除のお願い（誤って受け取った方宛て） | 1名 | 0名 | 0名 | 0名 |", ja);
        Assert.Contains("連絡先が分からない本人1名には、お詫びをお送りできていません。", ja);

        var en = IncidentReportRenderer.ToMarkdown(report, "en");
        Assert.Contains("This is a personal data breach (a leak).", en);
        Assert.Contains("- Wrong recipients: 1 person (0 confirmed deleting unread, 1 not confirmed)", en);
        Assert.Contains("- (d) Measures taken or proposed", en);

        var json = JsonNode.Parse(IncidentReportRenderer.ToJson(report))!;
        Assert.Equal(categories.Select(c => c.Id()), json["report"]!["scope"]!["categories"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["fan-in-across-chunks"], json["causes"]!.AsArray().Select(x => x!["rule"]!.GetValue<string>()));
        Assert.Equal("leak", json["report"]!["kind"]!.GetValue<string>());
        Assert.Equal(1, json["report"]!["notices"]!["deleteRequests"]!["sent"]!.GetValue<int>());
        Assert.Equal(incidentId, json["report"]!["incidentId"]!.GetValue<string>());

        var people = Batches.People(0, 3).Concat(Batches.People(10, 2)).Append(Batches.Person(40)).Append(Batches.Person(50));
        var secrets = people.SelectMany(p => new[] { p.Email, p.Email.Split('@')[0], p.Name, p.Name.Replace(" ", ""), p.MemberNo, p.Address, p.Address.Split(' ')[0] }).Distinct();
        foreach (var text in new[] { ja, en, json.ToJsonString() })
        {
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase));
        }
    }
}
