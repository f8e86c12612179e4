using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MisSend.Application.Incidents;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Reports;
using MisSend.TestSupport.InMemory;
using static MisSend.Application.Tests.Scenario;

namespace MisSend.Application.Tests;

/// <summary>
/// Issue 11 from the records: each kind of incident, as the pipeline leaves it, gets the report and the notices that
/// tell its truth — and nothing the records do not show.
/// </summary>
public sealed partial class IncidentTruthTests
{
    private static readonly OperatorAction Officer = new("佐藤 (privacy office)");

    private static string Notice(InMemoryWorld world, string kind, string email) => world.SendGrid.Accepted
        .Where(m => m.Arg("notice_wave") is not null && m.Body["categories"]?[1]?.GetValue<string>() == kind)
        .SelectMany(m => m.Body["personalizations"]!.AsArray())
        .Single(p => p!["to"]![0]!["email"]!.GetValue<string>() == email)!["substitutions"]!["-notice-text-"]!.GetValue<string>();

    private static List<string> Notified(InMemoryWorld world) =>
        world.SendGrid.Accepted.Where(m => m.Arg("notice_wave") is not null).SelectMany(m => m.Recipients).ToList();

    [Fact]
    public async Task Batch_halted_before_anything_left_is_a_near_miss_record_not_a_leak_report()
    {
        using var world = InMemoryWorld.Create();
        var halted = await world.HandleAsync(Leaky("reds-2027-guide", 1, 1, 0, count: 5));
        await world.TickAsync();

        Assert.Equal(InspectionOutcome.Halted, halted.Outcome);
        Assert.Equal(IncidentStatus.Contained, (await world.Incidents.GetAsync(halted.IncidentId!, default))!.Status);
        Assert.Empty(Notified(world));
        var report = (await world.IncidentService.ReportAsync(halted.IncidentId!, default))!;
        Assert.Equal((IncidentKind.NearMiss, IncidentSource.Detector), (report.Kind, report.Source));
        Assert.Null(report.Scope);
        Assert.Null(report.Unsettled);
        Assert.Equal(ReportRequirement.NotApplicable, ReportAssessment.Ppc(report).Requirement);
        Assert.Equal((1, 4), (report.Prevented!.DataSubjects, report.Prevented.WrongRecipients)); // the first guide, bcc'd to the four others
        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        Assert.StartsWith($"# ヒヤリハット記録（送信前に停止した事案） {report.IncidentId}\n", ja);
        Assert.Contains("個人データは本人以外の方に送られていません。", ja);
        Assert.DoesNotContain("報告書", ja.Split('\n')[0]);
        Assert.DoesNotContain("漏えいとして", ja); // no advice to announce a leak
        var en = IncidentReportRenderer.ToMarkdown(report, "en");
        Assert.StartsWith($"# Near-miss record (halted before sending) {report.IncidentId}\n", en);
        Assert.Contains("No personal data was sent to anyone it does not belong to.", en);
    }

    [Fact]
    public async Task Halt_after_a_chunk_went_out_is_a_leak_whose_notices_use_the_ledger_names_and_the_mail_s_safe_subject()
    {
        using var world = InMemoryWorld.Create();
        var (chunk1, chunk2) = FanIn("reds-2027-renewal");
        await world.HandleAsync(chunk1, "m1");
        var halted = await world.HandleAsync(chunk2, "m2");
        await world.TickAsync();

        var report = (await world.IncidentService.ReportAsync(halted.IncidentId!, default))!;
        Assert.Equal(IncidentKind.Leak, report.Kind);
        Assert.Single(report.KindHistory); // opened as a leak: chunk 1 had reached its recipient
        Assert.Equal((ScopeBasis.Ledger, 1, 1, 1L), (report.Scope!.Basis, report.Scope.DataSubjects, report.Scope.WrongRecipients, report.Scope.Exposures));
        Assert.Equal(1, report.Notices.DeleteRequests.Sent);

        // Recipient 0 got member 40's guide in chunk 1: the delete request names that mail by its subject and date.
        var recipient = Batches.Person(0);
        var delete = Notice(world, "delete-request", recipient.Email);
        var sentAt = (await world.Jobs.GetChunkAsync("reds-2027-renewal", 1, default))!.SentAt!.Value;
        Assert.Contains($"{sentAt.ToOffset(TimeSpan.FromHours(9)):yyyy年M月d日 H:mm}（日本時間）に当事務局からお送りした、件名「2027シーズンチケット お支払いのご案内」のメール", delete);
        Assert.Contains("他のお客様1名分の個人情報", delete);
    }

    /// <summary>Wrong recipient of <see cref="NamedLeakAsync"/>: an address that says nothing about whose it is.</summary>
    private const string FanClubAddress = "fan-club-0417@example.jp";

    /// <summary>
    /// Chunk 1 gives member 40's guide, with their name, to an address that says nothing about whose it is: it passes.
    /// Chunk 2 gives it to member 40 by name: the job halts, and chunk 1's delivery was an exposure of member 40.
    /// </summary>
    private static async Task<(string IncidentId, Holder Subject)> NamedLeakAsync(InMemoryWorld world)
    {
        const string jobId = "reds-2027-named";
        var subject = Batches.Person(40);
        JsonObject Mail(string to, string? displayName) => new()
        {
            ["from"] = new JsonObject { ["email"] = "ticket@reds-seasonticket.example.jp", ["name"] = "浦和レッズ シーズンチケット事務局" },
            ["subject"] = "2027シーズンチケット お支払いのご案内",
            ["personalizations"] = new JsonArray(new JsonObject
            {
                ["to"] = new JsonArray(displayName is null ? new JsonObject { ["email"] = to } : new JsonObject { ["email"] = to, ["name"] = displayName }),
                ["dynamic_template_data"] = new JsonObject { ["name"] = subject.Name, ["member_no"] = subject.MemberNo, ["amount"] = subject.Amount, ["seat"] = subject.Seat },
            }),
        };

        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(Batches.Envelope(jobId, 1, 2, Mail(FanClubAddress, null), ByMemberNo()), "m1")).Outcome);
        var halted = await world.HandleAsync(Batches.Envelope(jobId, 2, 2, Mail(subject.Email, subject.Name), ByMemberNo()), "m2");
        Assert.Equal(InspectionOutcome.Halted, halted.Outcome);
        return (halted.IncidentId!, subject);
    }

    [Fact]
    public async Task Apology_salutes_the_data_subject_by_the_name_the_ledger_recorded()
    {
        using var world = InMemoryWorld.Create();
        var (incidentId, subject) = await NamedLeakAsync(world);
        await world.TickAsync();

        var candidate = Assert.Single(await world.Incidents.ExposureCandidatesAsync(incidentId, default));
        Assert.Equal((subject.Name, subject.Email), (candidate.SubjectName, candidate.SubjectEmail));
        var apology = Notice(world, "apology", subject.Email);
        Assert.StartsWith($"{subject.Name} 様\n", apology);
        Assert.Contains("重ねてお詫び申し上げます", apology);
        Assert.DoesNotContain("お客様各位", apology);

        // The wrong recipient is not named: nothing confirmed whose address it is.
        Assert.StartsWith("お客様\n", Notice(world, "delete-request", FanClubAddress));

        // The halted chunk's own mail went to its owner: the report does not count it as kept from the wrong people.
        var report = (await world.IncidentService.ReportAsync(incidentId, default))!;
        Assert.Null(report.Prevented);
        Assert.DoesNotContain("さらに本人", IncidentReportRenderer.ToMarkdown(report, "ja"));
    }

    [Fact]
    public async Task Guardian_receiving_two_children_s_data_across_chunks_passes_and_two_strangers_data_to_one_recipient_halts()
    {
        using var world = InMemoryWorld.Create();
        var guardian = Batches.Person(0);
        string Report(int chunk, string child) => Batches.Envelope("school-2027-reports", chunk, 2, new JsonObject
        {
            ["from"] = new JsonObject { ["email"] = "office@sakura-gakuen.example.jp", ["name"] = "さくら学園 事務室" },
            ["subject"] = "保護者面談のご案内",
            ["personalizations"] = new JsonArray(new JsonObject
            {
                ["to"] = new JsonArray(new JsonObject { ["email"] = guardian.Email, ["name"] = guardian.Name }),
                ["dynamic_template_data"] = new JsonObject
                {
                    ["guardian_name"] = guardian.Name,
                    ["children"] = new JsonArray(new JsonObject { ["name"] = child, ["class"] = chunk == 1 ? "2-A" : "4-B" }),
                },
            }),
        });

        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(Report(1, "佐藤 陽菜"), "g1")).Outcome);
        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(Report(2, "佐藤 蓮"), "g2")).Outcome);
        Assert.Contains(await world.Ledger.DeliveriesAsync("school-2027-reports", default), d => d.Relationship == "guardian" && d.Chunk == 2);

        var (chunk1, chunk2) = FanIn("reds-2027-renewal");
        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(chunk1, "m1")).Outcome);
        var strangers = await world.HandleAsync(chunk2, "m2");
        Assert.Equal(InspectionOutcome.Halted, strangers.Outcome);
        Assert.Contains(strangers.Findings!, f => f.Rule == Rules.FanInAcrossChunks);
    }

    [Fact]
    public async Task Chunk_SendGrid_refused_reached_nobody_so_a_later_chunk_giving_its_recipient_other_data_is_no_fan_in()
    {
        using var world = InMemoryWorld.Create();
        var (chunk1, chunk2) = FanIn("reds-2027-renewal");
        world.SendGrid.FailSends(SendFault.BadRequest, b => FakeSendGrid.To(b, Batches.Person(0).Email), times: 1);

        Assert.Equal(InspectionOutcome.Refused, (await world.HandleAsync(chunk1, "m1")).Outcome);
        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(chunk2, "m2")).Outcome);
        Assert.Empty(await world.Incidents.ListOpenAsync(default));
    }

    [Fact]
    public async Task Reported_incident_is_under_investigation_until_declared_then_everyone_declared_is_notified_once()
    {
        using var world = InMemoryWorld.Create();
        var jobId = "reds-2027-payment-guide";
        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(Clean(jobId, 1, 1, 0, count: 4))).Outcome);
        var incident = await world.IncidentService.OpenAsync(jobId, "お客様から、他人の請求金額が届いたと電話がありました", Officer, default);
        await world.TickAsync();

        Assert.Equal(IncidentKind.Reported, incident.Kind);
        Assert.Empty(Notified(world));
        Assert.Null((await world.IncidentService.SnapshotAsync(incident.IncidentId, default))!.Scope); // under investigation, not "nobody"
        var investigating = (await world.IncidentService.ReportAsync(incident.IncidentId, default))!;
        Assert.Null(investigating.Scope);
        Assert.Equal(ReportRequirement.Undetermined, ReportAssessment.Ppc(investigating).Requirement);
        var ja = IncidentReportRenderer.ToMarkdown(investigating, "ja");
        Assert.Contains("届いた範囲は調査中であり、まだ確定していません。", ja);
        Assert.Contains("範囲が宣言されるまで、本人への通知は行いません。", ja);
        Assert.DoesNotContain("外部に届いた個人データはありません", ja);
        Assert.Contains("二次被害の有無: 記録なし（要記入）", ja);
        Assert.DoesNotContain("送信結果を確認中", ja); // nothing unsettled: the job went out whole

        var declared = await world.IncidentService.DeclareScopeAsync(incident.IncidentId, new ScopeRequest(Everyone: true), Officer, default);
        Assert.Equal(ScopeOutcome.Declared, declared.Outcome);
        Assert.Equal(ScopeChangeMode.First, declared.Change!.Mode);
        Assert.Equal((4, 4, 12L), (declared.Scope!.Subjects.Count, declared.Scope.Recipients.Count, declared.Scope.Exposures));
        await world.TickAsync();
        await world.TickAsync();

        var notified = Notified(world);
        Assert.Equal(8, notified.Count);
        Assert.Equal(4, notified.Distinct().Count()); // each person an apology and a delete request, once
        Assert.Contains("他のお客様3名分の個人情報", Notice(world, "delete-request", Batches.Person(0).Email));
        Assert.Contains("お一人おひとりにお送りすべきメールが、同じ送信で他のお客様全員にも送られていました。", Notice(world, "apology", Batches.Person(1).Email));
        var report = (await world.IncidentService.ReportAsync(incident.IncidentId, default))!;
        Assert.Equal((ScopeBasis.Declared, 4, 4), (report.Scope!.Basis, report.Scope.DataSubjects, report.Scope.WrongRecipients));
        var declaration = Assert.Single(report.Scope.Declarations);
        Assert.Equal((ScopeDeclarationKind.Everyone, Officer.Who), (declaration.Kind, declaration.By.Name));
        Assert.Equal(ReportStatus.Notified, ReportAssessment.Status(report));
        Assert.Equal(IncidentStatus.Notified, (await world.Incidents.GetAsync(incident.IncidentId, default))!.Status);
    }

    [Fact]
    public async Task Shifted_declaration_with_only_the_amounts_tells_each_person_only_what_went_out()
    {
        using var world = InMemoryWorld.Create();
        var jobId = "reds-2027-payment-guide";
        await world.HandleAsync(Clean(jobId, 1, 1, 0, count: 5));
        var incident = await world.IncidentService.OpenAsync(jobId, "金額が一行ずれていた", Officer, default);

        var declared = await world.IncidentService.DeclareScopeAsync(incident.IncidentId, new ScopeRequest(Shift: 1, Categories: [DataCategory.Amount]), Officer, default);
        await world.TickAsync();

        // Row i's recipient got row i+1's amount: persons 1..4 had their amount seen by one other; the last row has no counterpart.
        Assert.Equal((4, 4, 4L), (declared.Scope!.Subjects.Count, declared.Scope.Recipients.Count, declared.Scope.Exposures));
        var apology = Notice(world, "apology", Batches.Person(2).Email);
        Assert.Contains("・届いた情報：請求金額\n", apology);
        Assert.Contains("お客様以外の1名の方に届きました", apology);
        Assert.Contains("宛先の一覧と差し込むデータの行がずれ", apology);
        var rows = await world.Notices.ListAsync(incident.IncidentId, default);
        Assert.DoesNotContain(rows, r => r.Kind == NoticeKind.Apology && r.Email == Batches.Person(0).Email); // nobody received row 0's data
        Assert.DoesNotContain(rows, r => r.Kind == NoticeKind.DeleteRequest && r.Email == Batches.Person(4).Email); // row 4 got no other row's data
    }

    [Fact]
    public async Task Declared_list_is_checked_line_by_line_and_nothing_is_half_accepted()
    {
        using var world = InMemoryWorld.Create();
        var jobId = "reds-2027-payment-guide";
        await world.HandleAsync(Clean(jobId, 1, 1, 0, count: 3));
        var incident = await world.IncidentService.OpenAsync(jobId, "phoned in", Officer, default);
        var (p0, p1, p2) = (Batches.Person(0), Batches.Person(1), Batches.Person(2));
        async Task<ScopeDeclarationResult> Declare(string csv) =>
            await world.IncidentService.DeclareScopeAsync(incident.IncidentId, new ScopeRequest(Csv: System.Text.Encoding.UTF8.GetBytes(csv)), Officer, default);

        var malformed = await Declare($"recipient,subject\n{p0.Email},{p1.Email}\nnot-an-address,{p2.Email}\n{p1.Email}\n");
        Assert.Equal(ScopeOutcome.Invalid, malformed.Outcome);
        Assert.Equal([(3, ScopeErrorCode.MalformedEmail), (4, ScopeErrorCode.ColumnCount)], malformed.Errors.Select(e => (e.Line ?? 0, e.Code)));
        Assert.StartsWith("line 3: ", malformed.Errors[0].Message("en"));
        Assert.EndsWith(" is not an e-mail address", malformed.Errors[0].Message("en"));
        Assert.StartsWith("4行目: 列の数が見出しと違います", malformed.Errors[1].Message("ja"));

        var stranger = await Declare($"受信者,本人\n{p0.Email},{p1.Email}\nsomeone@elsewhere.example.jp,{p2.Email}\n{p2.Email},{p2.Email}\n");
        Assert.Equal(ScopeOutcome.Invalid, stranger.Outcome);
        Assert.Equal([(3, ScopeErrorCode.UnknownRecipient), (4, ScopeErrorCode.OwnData)], stranger.Errors.Select(e => (e.Line ?? 0, e.Code)));
        Assert.DoesNotContain("someone@elsewhere.example.jp", stranger.Errors[0].Message("ja"));

        Assert.Empty((await world.Incidents.GetAsync(incident.IncidentId, default))!.Declarations);
        await world.TickAsync();
        Assert.Empty(Notified(world));
    }

    [Fact]
    public async Task Redeclaring_before_notices_replaces_the_scope_and_after_notices_adds_to_it_never_dropping_anyone_told()
    {
        using var world = InMemoryWorld.Create();
        var jobId = "reds-2027-payment-guide";
        await world.HandleAsync(Clean(jobId, 1, 1, 0, count: 4));
        var incident = await world.IncidentService.OpenAsync(jobId, "phoned in", Officer, default);
        var (p0, p1, p2, p3) = (Batches.Person(0), Batches.Person(1), Batches.Person(2), Batches.Person(3));
        Task<ScopeDeclarationResult> Declare(string csv) =>
            world.IncidentService.DeclareScopeAsync(incident.IncidentId, new ScopeRequest(Csv: System.Text.Encoding.UTF8.GetBytes("recipient,subject\n" + csv)), Officer, default);

        // A mistake corrected before anyone was told: p0→p1 is replaced by p2→p3, and p0 and p1 are never notified.
        await Declare($"{p0.Email},{p1.Email}\n");
        var replaced = await Declare($"{p2.Email},{p3.Email}\n");
        Assert.Equal(ScopeChangeMode.Replaced, replaced.Change!.Mode);
        Assert.Equal((1, 1), (replaced.Change.Removed.SubjectKeys.Count, replaced.Change.Removed.Recipients.Count));
        await world.TickAsync();
        Assert.Equal([p2.Email, p3.Email], Notified(world).Order());

        // After notices: the new declaration is added; p2→p3 stays in the scope and nobody is told twice.
        var extended = await Declare($"{p0.Email},{p1.Email}\n");
        Assert.Equal(ScopeChangeMode.Extended, extended.Change!.Mode);
        Assert.Equal((1, 1), (extended.Change.KeptFromEarlier.SubjectKeys.Count, extended.Change.KeptFromEarlier.Recipients.Count));
        Assert.Equal((2, 2), (extended.Scope!.Subjects.Count, extended.Scope.Recipients.Count));
        await world.TickAsync();
        Assert.Equal([p0.Email, p1.Email, p2.Email, p3.Email], Notified(world).Order());

        // Every declaration is in the timeline, the replaced one too.
        var report = (await world.IncidentService.ReportAsync(incident.IncidentId, default))!;
        Assert.Equal(3, report.Timeline.Count(e => e.Kind == TimelineEventKind.ScopeDeclared));
        Assert.Equal(2, report.Scope!.Declarations.Count);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Redeclaring_while_a_dispatcher_is_starting_the_notices_adds_to_the_scope_and_drops_nobody()
    {
        using var world = InMemoryWorld.Create();
        var jobId = "reds-2027-payment-guide";
        await world.HandleAsync(Clean(jobId, 1, 1, 0, count: 4));
        var incident = await world.IncidentService.OpenAsync(jobId, "phoned in", Officer, default);
        var (p0, p1, p2, p3) = (Batches.Person(0), Batches.Person(1), Batches.Person(2), Batches.Person(3));
        Task<ScopeDeclarationResult> Declare(string csv) =>
            world.IncidentService.DeclareScopeAsync(incident.IncidentId, new ScopeRequest(Csv: System.Text.Encoding.UTF8.GetBytes("recipient,subject\n" + csv)), Officer, default);
        await Declare($"{p0.Email},{p1.Email}\n");

        // The dispatcher has planned from the first declaration and is about to write its notice rows.
        var parked = world.Faults.PauseAt(StepPhase.Before, Ops.InsertNotices, s => s.Subject == incident.IncidentId);
        var tick = Task.Run(() => world.Dispatcher.DispatchAsync(default));
        await parked.Reached;
        var redeclared = await Declare($"{p2.Email},{p3.Email}\n");
        parked.Release();
        await tick;
        await world.TickAsync();

        Assert.Equal(ScopeChangeMode.Extended, redeclared.Change!.Mode);
        Assert.Equal([p0.Email, p1.Email, p2.Email, p3.Email], Notified(world).Order());
        Assert.Equal(2, (await world.IncidentService.ReportAsync(incident.IncidentId, default))!.Scope!.DataSubjects);
    }

    [Fact]
    public async Task Declared_scope_counts_only_the_chunks_that_went_out()
    {
        using var world = InMemoryWorld.Create();
        var jobId = "reds-2027-payment-guide";
        world.SendGrid.FailSends(SendFault.BadRequest, b => FakeSendGrid.To(b, Batches.Person(3).Email));
        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(Clean(jobId, 1, 2, 0, count: 3), "m1")).Outcome);
        Assert.Equal(InspectionOutcome.Refused, (await world.HandleAsync(Clean(jobId, 2, 2, 3, count: 3), "m2")).Outcome);
        var incident = await world.IncidentService.OpenAsync(jobId, "phoned in", Officer, default);

        var declared = await world.IncidentService.DeclareScopeAsync(incident.IncidentId, new ScopeRequest(Everyone: true), Officer, default);

        Assert.Equal(Batches.People(0, 3).Select(p => p.Email).Order(), declared.Scope!.Recipients.Select(r => r.Address).Order());
        Assert.Equal(6L, declared.Scope.Exposures);
    }

    [Fact]
    public async Task Scope_of_a_detector_incident_comes_from_the_ledger_and_an_unknown_incident_is_not_found()
    {
        using var world = InMemoryWorld.Create();
        var halted = await world.HandleAsync(Leaky("reds-2027-guide", 1, 1, 0));

        var detector = await world.IncidentService.DeclareScopeAsync(halted.IncidentId!, new ScopeRequest(Everyone: true), Officer, default);
        var unknown = await world.IncidentService.DeclareScopeAsync("INC-000000000000", new ScopeRequest(Everyone: true), Officer, default);
        var both = await world.IncidentService.DeclareScopeAsync(halted.IncidentId!, new ScopeRequest(Everyone: true, Shift: 1), Officer, default);

        Assert.Equal(ScopeOutcome.NotReported, detector.Outcome);
        Assert.Contains("exposure ledger", detector.Message);
        Assert.Equal(ScopeOutcome.NotFound, unknown.Outcome);
        Assert.Equal(ScopeOutcome.Invalid, both.Outcome);
        Assert.Empty((await world.Incidents.GetAsync(halted.IncidentId!, default))!.Declarations);
    }

    [Fact]
    public async Task Apology_never_says_the_delete_requests_went_out_when_SendGrid_refused_them()
    {
        using var world = InMemoryWorld.Create();
        var (incidentId, subject) = await NamedLeakAsync(world);
        world.SendGrid.FailSends(SendFault.BadRequest, b => b["categories"]?[1]?.GetValue<string>() == "delete-request");
        await world.TickAsync();

        var apology = Notice(world, "apology", subject.Email);
        Assert.DoesNotContain("削除していただくよう、お願いいたしました。", apology);
        Assert.Contains("メールを削除していただくようお願いいたします（手配中）。", apology);
        var report = (await world.IncidentService.ReportAsync(incidentId, default))!;
        Assert.Equal((0, 1), (report.Notices.DeleteRequests.Sent, report.Notices.DeleteRequests.Failed));
        Assert.DoesNotContain("削除のお願いをメールで送信しました", IncidentReportRenderer.ToMarkdown(report, "ja"));
    }

    [Fact]
    public async Task Notice_rows_and_confirmation_links_are_keyed_by_the_signing_key_never_a_plain_hash_of_the_address()
    {
        using var world = InMemoryWorld.Create();
        var (incidentId, _) = await NamedLeakAsync(world);
        await world.TickAsync();

        var key = Convert.FromBase64String(InMemoryWorld.SigningKey);
        Assert.All(await world.Notices.ListAsync(incidentId, default), r => Assert.Equal(RecipientKey.For(r.Email, key), r.Key));
        var row = Assert.Single(await world.Notices.ListAsync(incidentId, default), r => r.Kind == NoticeKind.DeleteRequest);
        Assert.Equal(RecipientKey.For(row.Email, key), row.Key);
        var text = Notice(world, "delete-request", row.Email);
        var token = Uri.UnescapeDataString(LinkToken().Match(text).Groups[1].Value);
        Assert.StartsWith(InMemoryWorld.ConfirmationPage + "?token=", LinkToken().Match(text).Value);
        Assert.Contains(row.Key, token);
        Assert.DoesNotContain(Keys.Hash(row.Email), token);
        Assert.DoesNotContain(row.Email, token);
        Assert.True((await world.IncidentService.ConfirmDeletedAsync(token, default)).Ok);
        Assert.NotNull((await world.Notices.GetAsync(incidentId, NoticeKind.DeleteRequest, row.Key, default))!.ConfirmedDeletedAt);
    }

    [Fact]
    public async Task Operator_records_reach_the_report_with_who_recorded_them()
    {
        using var world = InMemoryWorld.Create();
        var (chunk1, chunk2) = FanIn("reds-2027-renewal");
        await world.HandleAsync(chunk1, "m1");
        var halted = await world.HandleAsync(chunk2, "m2");
        var published = world.Clock.GetUtcNow().AddDays(1);

        Assert.Equal("nothing to record", (await world.IncidentService.UpdateRecordsAsync(halted.IncidentId!, new OperatorRecordsChange(), Officer, default)).Problem);
        Assert.Null((await world.IncidentService.UpdateRecordsAsync("INC-000000000000", new OperatorRecordsChange(Remarks: "x"), Officer, default)).Incident);
        var (incident, problem) = await world.IncidentService.UpdateRecordsAsync(halted.IncidentId!,
            new OperatorRecordsChange(UnlawfulPurpose: Answer.No, SecondaryHarm: Answer.No, PublishedAt: published, Remarks: "委託先の作業手順を確認中"), Officer, default);

        Assert.Null(problem);
        Assert.Equal((Answer.No, Answer.No), (incident!.Records.UnlawfulPurpose, incident.Records.SecondaryHarm));
        var report = (await world.IncidentService.ReportAsync(halted.IncidentId!, default))!;
        var publication = Assert.Single(report.Timeline, e => e.Kind == TimelineEventKind.Published);
        Assert.Equal((published, Officer.Who), (publication.At, publication.Actor.Name));
        Assert.Equal(ReportRequirement.NotMandatory, ReportAssessment.Ppc(report).Requirement); // no trigger applies once the purpose is recorded
        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        Assert.Contains("- 委託先の作業手順を確認中", ja);
        Assert.Contains("二次被害の有無: 現時点で確認されていません", ja);
        Assert.Contains(await world.Incidents.EventsAsync(halted.IncidentId!, default), e => e.Kind == IncidentEventKind.RecordsUpdated && e.Who == Officer.Who);
    }

    [Theory]
    [InlineData("near-miss")]
    [InlineData("leak")]
    [InlineData("reported")]
    public async Task Report_built_from_records_is_entirely_Japanese_in_ja_and_carries_every_item_its_kind_needs(string kind)
    {
        using var world = InMemoryWorld.Create();
        string incidentId;
        switch (kind)
        {
            case "near-miss":
                incidentId = (await world.HandleAsync(Leaky("reds-2027-guide", 1, 1, 0))).IncidentId!;
                break;
            case "leak":
                var (chunk1, chunk2) = FanIn("reds-2027-renewal");
                await world.HandleAsync(chunk1, "m1");
                incidentId = (await world.HandleAsync(chunk2, "m2")).IncidentId!;
                break;
            default:
                await world.HandleAsync(Clean("reds-2027-payment-guide", 1, 1, 0));
                incidentId = (await world.IncidentService.OpenAsync("reds-2027-payment-guide", "お客様から電話がありました", Officer, default)).IncidentId;
                await world.IncidentService.DeclareScopeAsync(incidentId, new ScopeRequest(Shift: 1), Officer, default);
                break;
        }

        await world.TickAsync();
        var report = (await world.IncidentService.ReportAsync(incidentId, default))!;
        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        var en = IncidentReportRenderer.ToMarkdown(report, "en");

        var text = ja.Replace(report.IncidentId, "").Replace(report.JobId, "").Replace(Officer.Who, "");
        Assert.All(AsciiWord().Matches(text).Select(m => m.Value).Distinct(), w => Assert.Contains(w, new[] { "GDPR", "a", "b", "c", "d", "To", "Cc", "Bcc" }));
        Assert.DoesNotMatch(@"\b1 people\b|\b1 wrong recipients\b|\b1 exposures\b", en);
        if (kind == "near-miss")
        {
            Assert.Equal(["## 1. 概要", "## 2. 送信していれば届いていた範囲", "## 3. 検知の理由", "## 4. 実施済みの措置と再発防止策", "## 5. 届出について", "## 6. その他参考となる事項"], Headings(ja));
        }
        else
        {
            Assert.Equal(
                ["## 報告者", "## 1. 概要", "## 2. 漏えい等が発生し、又は発生したおそれがある個人データの項目", "## 3. 本人の数", "## 4. 原因", "## 5. 二次被害又はそのおそれの有無及びその内容",
                 "## 6. 本人への対応の実施状況", "## 7. 公表の実施状況", "## 8. 再発防止のための措置", "## 9. その他参考となる事項",
                 "## 10. 報告義務の判定（個人情報保護法施行規則第7条）", "## 11. 一般データ保護規則（GDPR）第33条第3項の項目"],
                Headings(ja));
            Assert.Contains("- 速報の期限:", ja);
            Assert.Contains("- 72-hour deadline:", en);
            Assert.Contains("| 法人の名称 | （要記入） |", ja); // the reporter's details are not configured in this world: marked to be completed
        }
    }

    private static List<string> Headings(string md) => md.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToList();

    [GeneratedRegex("[A-Za-z]+")]
    private static partial Regex AsciiWord();

    [GeneratedRegex(@"https://\S+\?token=(\S+)")]
    private static partial Regex LinkToken();
}
