using System.Text.Json.Nodes;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.TestSupport.InMemory;
using static MisSend.Application.Tests.Scenario;

namespace MisSend.Application.Tests;

/// <summary>
/// Issue 13, "this is not for me": the signed link in every mail the pipeline sends, and what a recipient's report does
/// (pause the rest of the job, open or attach to an incident, alert the officer; notify nobody until the officer decides).
/// </summary>
[Trait("Category", "Reliability")]
public sealed class NotMineTests
{
    private const string JobId = "reds-2027-payment-guide";
    private const string Officer = "dpo@reds-seasonticket.example.jp";

    [Fact]
    public async Task Every_sent_personalization_carries_a_signed_link_bound_to_its_job_chunk_and_position_in_its_language()
    {
        using var world = InMemoryWorld.Create();

        await world.HandleAsync(Clean(JobId, 2, 2, 0, count: 3, policy: new JsonObject { ["language"] = "en", ["contactEmail"] = Contact }));

        var sent = Assert.Single(world.SendGrid.Accepted);
        var personalizations = sent.Body["personalizations"]!.AsArray();
        for (var i = 0; i < personalizations.Count; i++)
        {
            var url = personalizations[i]!["dynamic_template_data"]![OutgoingMail.NotMineKey]!.GetValue<string>();
            Assert.StartsWith(InMemoryWorld.NotMinePage + "?token=", url);
            var (claims, failure) = NotMineToken.Validate(TokenOf(url), Convert.FromBase64String(InMemoryWorld.SigningKey), world.Clock.GetUtcNow());
            Assert.Null(failure);
            Assert.Equal((JobId, 2, i, "en"), (claims!.JobId, claims.Chunk, claims.Personalization, claims.Language));
            Assert.Equal(world.Clock.GetUtcNow() + TimeSpan.FromDays(30), claims.ExpiresAt);
        }
    }

    [Fact]
    public async Task Legacy_substitutions_get_the_tag_and_no_dynamic_template_data_is_added_beside_them()
    {
        using var world = InMemoryWorld.Create();
        var mail = Batches.Mail(Batches.People(0, 2));
        foreach (var p in mail["personalizations"]!.AsArray())
        {
            var data = p!["dynamic_template_data"]!.AsObject();
            p.AsObject().Remove("dynamic_template_data");
            p["substitutions"] = new JsonObject(data.Select(kv => KeyValuePair.Create($"-{kv.Key}-", kv.Value?.DeepClone())));
        }

        mail.Remove("template_id");
        await world.HandleAsync(Batches.Envelope(JobId, 1, 1, mail));

        var sent = Assert.Single(world.SendGrid.Accepted).Body["personalizations"]!.AsArray();
        Assert.All(sent, p =>
        {
            Assert.StartsWith(InMemoryWorld.NotMinePage, p!["substitutions"]![OutgoingMail.NotMineTag]!.GetValue<string>());
            Assert.Null(p["dynamic_template_data"]);
        });
    }

    [Fact]
    public async Task The_policy_switch_turns_the_link_off()
    {
        using var world = InMemoryWorld.Create();
        var policy = ByMemberNo();
        policy["notMineLink"] = false;

        await world.HandleAsync(Clean(JobId, 1, 1, 0, policy: policy));

        Assert.All(Assert.Single(world.SendGrid.Accepted).Body["personalizations"]!.AsArray(),
            p => Assert.Null(p!["dynamic_template_data"]![OutgoingMail.NotMineKey]));
    }

    [Fact]
    public async Task Notices_never_carry_a_not_mine_link()
    {
        using var world = InMemoryWorld.Create();
        var (chunk1, chunk2) = FanIn(JobId);
        await world.HandleAsync(chunk1, "m1");
        await world.HandleAsync(chunk2, "m2");
        await world.TickAsync();

        var notices = world.SendGrid.Accepted.Where(m => m.Arg(OutgoingMail.WaveArg) is not null).ToList();
        Assert.NotEmpty(notices);
        Assert.All(notices, n => Assert.DoesNotContain(OutgoingMail.NotMineKey, n.Body.ToJsonString()));
    }

    [Fact]
    public async Task Forged_altered_and_expired_tokens_have_no_effect()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 2, 0), "m1");
        var token = TokenOf(LinkOf(world, 0, 0));
        var forged = NotMineToken.Create(new(JobId, 1, 0, "ja", world.Clock.GetUtcNow().AddDays(1)), new byte[32]);
        var altered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

        Assert.Equal(NotMineOutcome.Invalid, (await world.NotMine.ReportAsync(forged, [], default)).Outcome);
        Assert.Equal(NotMineOutcome.Invalid, (await world.NotMine.ReportAsync(altered, [], default)).Outcome);
        Assert.Equal(NotMineOutcome.Invalid, (await world.NotMine.ReportAsync("", [], default)).Outcome);
        world.Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));
        Assert.Equal(NotMineOutcome.Expired, (await world.NotMine.ReportAsync(token, [], default)).Outcome);

        await AssertUntouchedAsync(world);
    }

    [Fact]
    public async Task A_genuine_token_for_a_personalization_the_records_do_not_hold_has_no_effect()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 2, 0, count: 4), "m1");
        var key = Convert.FromBase64String(InMemoryWorld.SigningKey);
        var beyond = NotMineToken.Create(new(JobId, 1, 4, "ja", world.Clock.GetUtcNow().AddDays(1)), key);
        var otherChunk = NotMineToken.Create(new(JobId, 2, 0, "ja", world.Clock.GetUtcNow().AddDays(1)), key);

        Assert.Equal(NotMineOutcome.UnknownMail, (await world.NotMine.ReportAsync(beyond, [], default)).Outcome);
        Assert.Equal(NotMineOutcome.UnknownMail, (await world.NotMine.ReportAsync(otherChunk, [], default)).Outcome);

        await AssertUntouchedAsync(world);
    }

    [Fact]
    public async Task A_scanners_GET_reads_the_language_and_has_no_effect()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 2, 0), "m1");

        var (language, failure) = world.NotMine.Check(TokenOf(LinkOf(world, 0, 0)));

        Assert.Equal(("ja", (TokenFailure?)null), (language, failure));
        await AssertUntouchedAsync(world);
    }

    [Fact]
    public async Task A_report_during_sending_holds_the_remaining_chunks_within_a_minute_and_none_is_sent_after_it()
    {
        using var world = InMemoryWorld.Create(alerts: a => a.OfficerEmail = Officer);
        await world.HandleAsync(Clean(JobId, 1, 3, 0), "m1");
        var sentBefore = world.SendGrid.Accepted.Count;

        var answer = await world.NotMine.ReportAsync(TokenOf(LinkOf(world, 0, 2)), [NotMinePart.Address, NotMinePart.Address, NotMinePart.Amount], default);
        Assert.Equal(NotMineOutcome.Recorded, answer.Outcome);
        var report = Assert.Single(await world.Incidents.NotMineReportsAsync(IncidentOf(JobId), default));
        var job = (await world.Jobs.GetJobAsync(JobId, default))!;
        Assert.Equal((JobState.Halted, (IncidentSource?)IncidentSource.RecipientReport), (job.State, job.HaltedBy));

        // Measured with the test clock: the report is acted on in its own request.
        var recordedToPaused = job.HaltedAt!.Value - report.ReportedAt;
        Assert.InRange(recordedToPaused, TimeSpan.Zero, TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));

        Assert.Equal(InspectionOutcome.Contained, (await world.HandleAsync(Clean(JobId, 2, 3, 10), "m2")).Outcome);
        Assert.Equal(InspectionOutcome.Contained, (await world.HandleAsync(Clean(JobId, 3, 3, 20), "m3")).Outcome);
        Assert.All((await world.Jobs.ListChunksAsync(JobId, default)).Where(c => c.Chunk > 1),
            c => Assert.Equal((ChunkState.Quarantined, ContainedReason.Reported), (c.State, c.Reason)));
        Assert.Equal(sentBefore, world.SendGrid.Accepted.Count(m => m.Arg(OfficerAlert.AlertArg) is null));

        var incident = (await world.Incidents.GetAsync(IncidentOf(JobId), default))!;
        Assert.Equal((IncidentKind.Reported, IncidentSource.RecipientReport, IncidentStatus.Open), (incident.Kind, incident.Source, incident.Status));
        Assert.Equal([NotMinePart.Address, NotMinePart.Amount], report.Parts);
        var suspected = Assert.Single(report.Suspected);
        Assert.Equal(Batches.Person(2).Email, suspected.Recipient);
        Assert.Empty(await world.Incidents.ExposureCandidatesAsync(IncidentOf(JobId), default)); // a suspicion notifies nobody

        var alert = Assert.Single(world.SendGrid.Accepted, m => m.Arg(OfficerAlert.AlertArg) == IncidentOf(JobId));
        Assert.True(FakeSendGrid.To(alert.Body, Officer));
        var text = alert.Body.ToJsonString();
        Assert.DoesNotContain(Batches.Person(2).Email, text);
        Assert.DoesNotContain(Batches.Person(2).Address, text);
        Assert.DoesNotContain(Batches.Person(2).Name, text);

        await world.TickAsync();
        Assert.DoesNotContain(world.SendGrid.Accepted, m => m.Arg(OutgoingMail.WaveArg) is not null);
        Assert.Empty(await world.Jobs.ListFlagsAsync(default));
    }

    [Fact]
    public async Task A_report_arriving_while_a_chunk_is_between_its_recheck_and_its_send_leaves_that_send_held_and_cancelled()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 2, 0, policy: ByMemberNo(holdMinutes: 30)), "m1");
        var parked = world.Faults.PauseAt(StepPhase.Before, Ops.Send, MailTo(10));

        var second = Task.Run(() => world.HandleAsync(Clean(JobId, 2, 2, 10, policy: ByMemberNo(holdMinutes: 30)), "m2"));
        await parked.Reached;
        Assert.Equal(NotMineOutcome.Recorded, (await world.NotMine.ReportAsync(TokenOf(LinkOf(world, 0, 1)), [], default)).Outcome);
        parked.Release();

        Assert.Equal(InspectionOutcome.Contained, (await second).Outcome);
        Assert.Empty(world.SendGrid.Delivered);
        Assert.All(await world.Jobs.ListChunksAsync(JobId, default), c => Assert.Equal(ChunkState.Cancelled, c.State));
        Assert.Equal(CancelState.Done, (await world.Jobs.GetJobAsync(JobId, default))!.Cancel);
    }

    [Fact]
    public async Task When_acting_fails_the_report_is_kept_and_the_next_tick_pauses_the_job()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 2, 0), "m1");
        world.Faults.CrashAt(StepPhase.Before, Ops.AddIncident);

        Assert.Equal(NotMineOutcome.Recorded, (await world.NotMine.ReportAsync(TokenOf(LinkOf(world, 0, 0)), [], default)).Outcome);
        Assert.Equal(JobState.Open, (await world.Jobs.GetJobAsync(JobId, default))!.State);
        Assert.Contains(new AttentionFlag(JobId, AttentionFlag.Reports), await world.Jobs.ListFlagsAsync(default));

        world.Clock.Advance(TimeSpan.FromSeconds(59));
        await world.TickAsync();

        var job = (await world.Jobs.GetJobAsync(JobId, default))!;
        Assert.Equal(JobState.Halted, job.State);
        var report = Assert.Single(await world.Incidents.NotMineReportsAsync(IncidentOf(JobId), default));
        Assert.Equal(TimeSpan.FromSeconds(59), job.HaltedAt!.Value - report.ReportedAt);
        Assert.Empty(await world.Jobs.ListFlagsAsync(default));
    }

    [Fact]
    public async Task Repeated_reports_from_one_personalization_count_once()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 2, 0), "m1");
        var token = TokenOf(LinkOf(world, 0, 1));

        Assert.Equal(NotMineOutcome.Recorded, (await world.NotMine.ReportAsync(token, [NotMinePart.Name], default)).Outcome);
        world.Clock.Advance(TimeSpan.FromMinutes(3));
        var again = await world.NotMine.ReportAsync(token, [NotMinePart.Amount], default);

        Assert.Equal(NotMineOutcome.AlreadyReported, again.Outcome);
        Assert.True(again.Counted);
        var report = Assert.Single(await world.Incidents.NotMineReportsAsync(IncidentOf(JobId), default));
        Assert.Equal([NotMinePart.Name], report.Parts);
        Assert.Single(await world.Incidents.EventsAsync(IncidentOf(JobId), default), e => e.Kind == IncidentEventKind.NotMineReported);
        var json = (await world.IncidentService.ReportAsync(IncidentOf(JobId), default))!;
        Assert.Equal(1, json.RecipientReports!.Reports);
    }

    [Fact]
    public async Task A_report_after_the_job_finished_opens_a_reported_incident_with_nothing_to_pause()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 2, 0), "m1");
        await world.HandleAsync(Clean(JobId, 2, 2, 10), "m2");
        world.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(NotMineOutcome.Recorded, (await world.NotMine.ReportAsync(TokenOf(LinkOf(world, 1, 3)), [NotMinePart.Address], default)).Outcome);

        var job = (await world.Jobs.GetJobAsync(JobId, default))!;
        Assert.NotEqual(JobState.Halted, job.State);
        var incident = (await world.Incidents.GetAsync(IncidentOf(JobId), default))!;
        Assert.Equal((IncidentKind.Reported, IncidentSource.RecipientReport), (incident.Kind, incident.Source));
        var report = (await world.IncidentService.ReportAsync(IncidentOf(JobId), default))!;
        Assert.Equal(IncidentSource.RecipientReport, report.Source);
        Assert.Null(report.Scope);
        Assert.Equal(Batches.Person(13).Email, Assert.Single(Assert.Single(await world.Incidents.NotMineReportsAsync(IncidentOf(JobId), default)).Suspected).Recipient);
    }

    [Fact]
    public async Task A_report_on_a_job_the_detector_halted_attaches_to_its_incident()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 2, 0), "m1");
        await world.HandleAsync(Leaky(JobId, 2, 2, 10), "m2");
        var before = (await world.Jobs.GetJobAsync(JobId, default))!;

        Assert.Equal(NotMineOutcome.Recorded, (await world.NotMine.ReportAsync(TokenOf(LinkOf(world, 0, 0)), [], default)).Outcome);

        var incident = (await world.Incidents.GetAsync(IncidentOf(JobId), default))!;
        Assert.Equal(IncidentSource.Detector, incident.Source);
        Assert.NotEqual(IncidentKind.Reported, incident.Kind);
        Assert.Single(await world.Incidents.NotMineReportsAsync(IncidentOf(JobId), default));
        var job = (await world.Jobs.GetJobAsync(JobId, default))!;
        Assert.Equal((IncidentSource?)IncidentSource.Detector, job.HaltedBy);
        Assert.Equal(before.HaltedAt, job.HaltedAt);
        var dismissed = await world.NotMine.DismissAsync(IncidentOf(JobId), new OperatorAction("佐藤", "誤申告"), default);
        Assert.Equal(DismissOutcome.Refused, dismissed.Outcome);
    }

    [Fact]
    public async Task Dismissal_records_who_and_why_releases_the_job_and_sends_its_held_chunks_once()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 3, 0), "m1");
        await world.NotMine.ReportAsync(TokenOf(LinkOf(world, 0, 0)), [NotMinePart.Other], default);
        await world.HandleAsync(Clean(JobId, 2, 3, 10), "m2");
        await world.HandleAsync(Clean(JobId, 3, 3, 20), "m3");
        Assert.Single(world.SendGrid.Accepted);

        Assert.Equal(DismissOutcome.Refused, (await world.NotMine.DismissAsync(IncidentOf(JobId), new OperatorAction("佐藤"), default)).Outcome);
        var result = await world.NotMine.DismissAsync(IncidentOf(JobId), new OperatorAction("佐藤", "ご家族宛ての案内と確認できたため"), default);

        Assert.Equal(DismissOutcome.Dismissed, result.Outcome);
        Assert.Equal([2, 3], result.Released.Select(r => r.Chunk));
        Assert.All(result.Released, r => Assert.True(r.Decision.Done, r.Decision.Message));
        Assert.Equal(3, world.SendGrid.Accepted.Count);
        Assert.Equal(JobState.Open, (await world.Jobs.GetJobAsync(JobId, default))!.State);
        Assert.All(await world.Jobs.ListChunksAsync(JobId, default), c => Assert.Equal(ChunkState.Sent, c.State));
        var incident = (await world.Incidents.GetAsync(IncidentOf(JobId), default))!;
        Assert.Equal(IncidentStatus.Dismissed, incident.Status);
        var dismissedEvent = Assert.Single(await world.Incidents.EventsAsync(IncidentOf(JobId), default), e => e.Kind == IncidentEventKind.ReportDismissed);
        Assert.Equal(("佐藤", "ご家族宛ての案内と確認できたため"), (dismissedEvent.Who, dismissedEvent.Reason));
        var report = (await world.IncidentService.ReportAsync(IncidentOf(JobId), default))!;
        Assert.Equal("ご家族宛ての案内と確認できたため", report.Dismissal!.Reason);
        Assert.Equal(AlreadyDismissed, (await world.NotMine.DismissAsync(IncidentOf(JobId), new OperatorAction("佐藤", "again"), default)).Outcome);

        // Nothing is sent twice on the next ticks, and nobody is notified.
        await world.TickAsync();
        Assert.Equal(3, world.SendGrid.Accepted.Count);
    }

    [Fact]
    public async Task A_declared_scope_confirms_the_report_its_notices_follow_and_it_can_no_longer_be_dismissed()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 2, 0, count: 4), "m1");
        await world.NotMine.ReportAsync(TokenOf(LinkOf(world, 0, 0)), [NotMinePart.Name], default);

        var declared = await world.IncidentService.DeclareScopeAsync(IncidentOf(JobId), new ScopeRequest(Shift: 1), new OperatorAction("佐藤"), default);
        Assert.Equal(ScopeOutcome.Declared, declared.Outcome);
        await world.TickAsync();

        Assert.Contains(world.SendGrid.Accepted, m => m.Arg(OutgoingMail.WaveArg) is not null);
        Assert.Equal(DismissOutcome.Refused, (await world.NotMine.DismissAsync(IncidentOf(JobId), new OperatorAction("佐藤", "誤申告"), default)).Outcome);
        Assert.Equal(JobState.Halted, (await world.Jobs.GetJobAsync(JobId, default))!.State);
    }

    private const DismissOutcome AlreadyDismissed = DismissOutcome.AlreadyDismissed;

    /// <summary>The "not mine" link of personalization <paramref name="p"/> in the <paramref name="mail"/>-th mail the pipeline sent.</summary>
    private static string LinkOf(InMemoryWorld world, int mail, int p) =>
        world.SendGrid.Accepted.Where(m => m.Arg(OutgoingMail.WaveArg) is null && m.Arg(OfficerAlert.AlertArg) is null).ElementAt(mail)
            .Body["personalizations"]![p]!["dynamic_template_data"]![OutgoingMail.NotMineKey]!.GetValue<string>();

    private static string TokenOf(string url) => Uri.UnescapeDataString(url[(url.IndexOf("?token=", StringComparison.Ordinal) + "?token=".Length)..]);

    private static async Task AssertUntouchedAsync(InMemoryWorld world)
    {
        Assert.Empty(await world.Incidents.NotMineReportsAsync(IncidentOf(JobId), default));
        Assert.Null(await world.Incidents.GetAsync(IncidentOf(JobId), default));
        Assert.Equal(JobState.Open, (await world.Jobs.GetJobAsync(JobId, default))!.State);
        Assert.DoesNotContain(await world.Jobs.ListFlagsAsync(default), f => f.Chunk == AttentionFlag.Reports);
    }
}
