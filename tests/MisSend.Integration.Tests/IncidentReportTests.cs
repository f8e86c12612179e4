using System.Text.Json.Nodes;
using MisSend.Application.Pipeline;
using MisSend.Core.Detection;
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

        Assert.Equal((incidentId, jobId, "detector", Contact), (report.IncidentId, report.JobId, report.Source, report.ContactEmail));
        var events = report.Timeline.OrderBy(e => e.At).Select(e => e.Event).ToList();
        Assert.Equal([TimelineEvents.FirstSend, TimelineEvents.Detection, TimelineEvents.Halt, TimelineEvents.NoticeWave], events);
        Assert.Equal("1 × delete-request", report.Timeline.Single(e => e.Event == TimelineEvents.NoticeWave).Detail);
        var s = report.Scope;
        Assert.Equal((1, 1, 1, 0, 1, 1, 1), (s.DataSubjects, s.WrongRecipients, s.Exposures, s.ConfirmedDeletedUnread, s.UnreachableSubjects, s.ChunksSent, s.ChunksQuarantined));
        Assert.Equal(categories, s.Categories);
        var cause = Assert.Single(report.Cause);
        Assert.Equal((2, Rules.FanInAcrossChunks), (cause.Chunk, cause.Rule));
        Assert.Equal((0, 0, 1, 0, 0), (report.Notices.ApologiesSent, report.Notices.ApologiesPending, report.Notices.DeleteRequestsSent, report.Notices.DeleteRequestsPending, report.Notices.Unconfirmed));

        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        foreach (var heading in new[] { "## 1. 概要", "## 2. 経緯（タイムライン）", "## 3. 漏えいした個人データの項目", "## 4. 対象人数", "## 5. 原因",
                     "## 6. 二次被害又はそのおそれの有無", "## 7. 本人への対応", "## 8. 公表", "## 9. 実施済みの措置と再発防止策", "## 10. 報告項目との対応" })
        {
            Assert.Contains("\n" + heading + "\n", ja);
        }

        foreach (var item in new[] { "| 概要 | 1 |", "| 漏えい等が発生し、又は発生したおそれがある個人データの項目 | 3 |", "| 本人の数 | 4 |", "| 原因 | 5 |",
                     "| 二次被害又はそのおそれの有無及びその内容 | 6 |", "| 本人への対応の実施状況 | 7 |", "| 公表の実施状況 | 8 |", "| 再発防止のための措置 | 9 |",
                     "| (a) 侵害の性質、データ主体と記録の種類・概数 | 1, 3, 4 |", "| (b) 連絡窓口 | 冒頭 |", "| (c) 生じ得る結果 | 6 |", "| (d) 講じた措置 | 7, 9 |" })
        {
            Assert.Contains(item, ja);
        }

        Assert.Contains("| 初回送信 |", ja);
        Assert.Contains("| 検知 | chunk 2 |", ja);
        Assert.Contains("| 送信停止 |", ja);
        Assert.Contains("| 通知送信 | 1 × delete-request |", ja);
        Assert.Contains($"## 3. 漏えいした個人データの項目\n\n{string.Join("、", categories.Select(c => c.Japanese()))}\n", ja);
        Assert.Contains("- 本人（データが他人に届いた方）: 1 名（うち連絡先不明 1 名）", ja);
        Assert.Contains("- 誤って受け取った方: 1 名（未開封削除の確認済み 0 名、未確認 1 名）", ja);
        Assert.Contains("- 送信済みチャンク: 1、送信停止（隔離）したチャンク: 1", ja);
        Assert.Contains("`fan-in-across-chunks`", ja);
        Assert.Contains("これは個人データの漏えいです。", ja);
        Assert.Contains("- 削除のお願い（受信者宛て）: 送信済み 1 名、未送信 0 名", ja);
        Assert.Contains($"- 連絡先: {Contact}", ja);
        // One data subject could not be reached: the report must not claim that everyone affected was told.
        Assert.DoesNotContain("影響を受けた全員に", ja);
        Assert.Contains("連絡先が不明な本人 1 名", ja);

        var en = IncidentReportRenderer.ToMarkdown(report, "en");
        foreach (var heading in new[] { "## 1. Summary", "## 2. Timeline", "## 3. Personal data items", "## 4. Number of people", "## 5. Cause",
                     "## 6. Secondary harm", "## 7. Response to individuals", "## 8. Publication", "## 9. Measures taken and prevention", "## 10. Regulatory items" })
        {
            Assert.Contains("\n" + heading + "\n", en);
        }

        Assert.Contains("| (a) nature, categories and approximate numbers of data subjects and records | 1, 3, 4 |", en);
        Assert.Contains("| (d) measures taken or proposed | 7, 9 |", en);
        Assert.Contains("This is a personal data breach (leak).", en);
        Assert.Contains("- Wrong recipients: 1 (0 confirmed deleted unread, 1 not yet)", en);
        Assert.DoesNotContain("Everyone affected was", en);

        var json = JsonNode.Parse(IncidentReportRenderer.ToJson(report))!;
        var appi = json["appi"]!;
        Assert.Equal(categories.Select(c => c.Id()), appi["dataItems"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal((1, 1), (appi["numberOfPeople"]!["dataSubjects"]!.GetValue<int>(), appi["numberOfPeople"]!["wrongRecipients"]!.GetValue<int>()));
        Assert.Equal(["fan-in-across-chunks"], appi["cause"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(1, appi["responseToIndividuals"]!["deleteRequestsSent"]!.GetValue<int>());
        foreach (var field in new[] { "summary", "secondaryHarm", "publication", "prevention" })
        {
            Assert.False(string.IsNullOrWhiteSpace(appi[field]!.GetValue<string>()), field);
        }

        var gdpr = json["gdprArticle33"]!;
        Assert.Equal((1, 1, Contact), (gdpr["approximateNumberOfDataSubjects"]!.GetValue<int>(), gdpr["approximateNumberOfRecords"]!.GetValue<int>(), gdpr["contactPoint"]!.GetValue<string>()));
        foreach (var field in new[] { "natureOfBreach", "categoriesOfDataSubjects", "likelyConsequences", "measuresTaken" })
        {
            Assert.False(string.IsNullOrWhiteSpace(gdpr[field]!.GetValue<string>()), field);
        }

        Assert.Equal(0, json["recipientsStillHolding"]!.GetValue<int>() - 1);
        Assert.Equal(incidentId, json["report"]!["incidentId"]!.GetValue<string>());

        var people = Batches.People(0, 3).Concat(Batches.People(10, 2)).Append(Batches.Person(40)).Append(Batches.Person(50));
        var secrets = people.SelectMany(p => new[] { p.Email, p.Email.Split('@')[0], p.Name, p.Name.Replace(" ", ""), p.MemberNo, p.Address, p.Address.Split(' ')[0] }).Distinct();
        foreach (var text in new[] { ja, en, json.ToJsonString() })
        {
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase));
        }
    }
}
