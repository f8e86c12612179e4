using System.Text.Json.Nodes;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.TestSupport.InMemory;
using static MisSend.Application.Tests.Scenario;

namespace MisSend.Application.Tests;

/// <summary>
/// Issue 10, "releasing a quarantined chunk sends known leaks": a release goes through the queue trigger's own path
/// (the job's kept policy, the ledger check, the job state), needs a recorded decision for a halted job, and a
/// failed release leaves the chunk releasable.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ReleaseTests
{
    private static readonly OperatorAction Officer = new("佐藤 (privacy office)", "customer confirmed the guide is theirs");

    [Fact]
    public async Task Release_of_a_chunk_halted_for_fan_in_across_chunks_runs_the_ledger_check_and_is_not_sent()
    {
        using var world = InMemoryWorld.Create();
        var (chunk1, chunk2) = FanIn("reds-2027-renewal");
        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(chunk1, "m1")).Outcome);
        Assert.Equal(InspectionOutcome.Halted, (await world.HandleAsync(chunk2, "m2")).Outcome);

        var decision = await world.IncidentService.ReleaseAsync("reds-2027-renewal", 2, null, releaseHaltedJob: true, Officer, default);

        Assert.False(decision.Done);
        Assert.Contains(decision.Findings!, f => f.Rule == Rules.FanInAcrossChunks);
        Assert.Single(world.SendGrid.Accepted);
        Assert.Equal(ChunkState.Quarantined, await StateAsync(world, "reds-2027-renewal", 2));
        Assert.Equal(0, world.SendGrid.DeliveredTo(Batches.Person(10).Email));
    }

    [Fact]
    public async Task Release_keeps_the_jobs_own_policy_with_the_quarantined_body()
    {
        using var world = InMemoryWorld.Create();
        // Chunk 2's guides are cc'd to the office's staff mailbox, which the job's policy declares internal.
        var staffed = Batches.Mail(Batches.People(10, 4));
        foreach (var p in staffed["personalizations"]!.AsArray())
        {
            p!["cc"] = new JsonArray(new JsonObject { ["email"] = "office@staff.reds-seasonticket.example.jp" });
        }

        var policy = new JsonObject { ["internalDomains"] = new JsonArray("staff.reds-seasonticket.example.jp"), ["language"] = "ja" };
        await world.HandleAsync(Leaky("reds-2027-guide", 1, 2, 0, policy: policy.DeepClone().AsObject()), "m1");
        Assert.Equal(InspectionOutcome.Contained, (await world.HandleAsync(Batches.Envelope("reds-2027-guide", 2, 2, staffed, policy), "m2")).Outcome);

        // Without the job's policy (the default one) the staff cc would halt it; with it, the chunk is clean.
        Assert.True(Core.Detection.LeakDetector.Scan(BatchParser.Parse(staffed.ToJsonString()).Mail).Halt);
        var released = await world.IncidentService.ReleaseAsync("reds-2027-guide", 2, null, releaseHaltedJob: true, Officer, default);

        Assert.True(released.Done, released.Message);
        Assert.Single(world.SendGrid.Accepted);
    }

    [Fact]
    public void Operator_policy_adds_to_the_jobs_own_and_drops_nothing_it_declared()
    {
        var job = new BatchPolicy { PersonalFields = ["contract_no"], InternalDomains = ["club.example.jp"], SubjectKeyField = "member_no", HoldMinutes = 30, ContactEmail = Contact };
        var run = new ChunkRun(Officer, new BatchPolicy { PersonalFields = ["seat"], InternalDomains = ["staff.example.jp"], HoldMinutes = 0, SubjectKeyField = "email" }, true);

        var merged = run.PolicyFor(job);

        Assert.Equal(["contract_no", "seat"], merged.PersonalFields);
        Assert.Equal(["club.example.jp", "staff.example.jp"], merged.InternalDomains);
        Assert.Equal(("member_no", 30, Contact), (merged.SubjectKeyField, merged.HoldMinutes, merged.ContactEmail));
        Assert.Same(job, ChunkRun.Queue.PolicyFor(job));
    }

    [Fact]
    public async Task Release_of_a_halted_jobs_chunk_needs_an_explicit_decision_recorded_with_who_made_it()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Leaky("reds-2027-guide", 1, 2, 0), "m1");
        Assert.Equal(InspectionOutcome.Contained, (await world.HandleAsync(Clean("reds-2027-guide", 2, 2, 10), "m2")).Outcome);

        var refused = await world.IncidentService.ReleaseAsync("reds-2027-guide", 2, null, releaseHaltedJob: false, Officer, default);

        Assert.False(refused.Done);
        Assert.Contains("explicit decision", refused.Message);
        Assert.Equal(0, world.SendGrid.Requests);

        var released = await world.IncidentService.ReleaseAsync("reds-2027-guide", 2, null, releaseHaltedJob: true, Officer, default);

        Assert.True(released.Done, released.Message);
        Assert.Single(world.SendGrid.Accepted);
        var events = await world.Incidents.EventsAsync(IncidentOf("reds-2027-guide"), default);
        var decision = Assert.Single(events, e => e.Kind == IncidentEventKind.ReleaseDecision);
        Assert.Equal(Officer.Who, decision.Who);
        Assert.Equal(Officer.Reason, decision.Reason);
        Assert.Contains(events, e => e.Kind == IncidentEventKind.ChunkReleased && e.Who == Officer.Who);
        Assert.True(events.ToList().FindIndex(e => e.Kind == IncidentEventKind.ReleaseDecision) < events.ToList().FindIndex(e => e.Kind == IncidentEventKind.ChunkReleased));
        var report = (await world.IncidentService.ReportAsync(IncidentOf("reds-2027-guide"), default))!;
        Assert.Contains(report.Timeline, e => e.Kind == Core.Reports.TimelineEventKind.ReleaseDecided && e.Actor == Core.Incidents.Actor.Operator(Officer.Who) && e.Chunk == 2);
    }

    [Fact]
    public async Task Release_SendGrid_refuses_leaves_the_chunk_quarantined_and_releasable_and_the_next_release_sends_once()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Leaky("reds-2027-guide", 1, 2, 0), "m1");
        await world.HandleAsync(Clean("reds-2027-guide", 2, 2, 10), "m2");
        world.SendGrid.FailSends(SendFault.ServerError);

        var failed = await world.IncidentService.ReleaseAsync("reds-2027-guide", 2, null, releaseHaltedJob: true, Officer, default);

        Assert.False(failed.Done);
        Assert.Contains("can be released again", failed.Message);
        Assert.Equal(ChunkState.Quarantined, await StateAsync(world, "reds-2027-guide", 2));
        Assert.Empty(await world.Jobs.ListFlagsAsync(default));
        Assert.Contains(await world.Incidents.EventsAsync(IncidentOf("reds-2027-guide"), default), e => e.Kind == IncidentEventKind.ReleaseFailed);

        var again = await world.IncidentService.ReleaseAsync("reds-2027-guide", 2, null, releaseHaltedJob: true, Officer, default);

        Assert.True(again.Done, again.Message);
        Assert.Single(world.SendGrid.Accepted);
        Assert.Equal(ChunkState.Sent, await StateAsync(world, "reds-2027-guide", 2));
    }

    [Fact]
    public async Task Release_whose_worker_dies_mid_send_is_found_by_the_sweep_and_settled_never_sent_twice()
    {
        using var world = InMemoryWorld.Create(o => o.ActivityIndexingLag = TimeSpan.FromMinutes(15));
        await world.HandleAsync(Leaky("reds-2027-guide", 1, 2, 0), "m1");
        await world.HandleAsync(Clean("reds-2027-guide", 2, 2, 10), "m2");
        world.Faults.CrashAt(StepPhase.After, Ops.Send);

        await Assert.ThrowsAsync<SimulatedCrash>(() => world.IncidentService.ReleaseAsync("reds-2027-guide", 2, null, true, Officer, default));
        Assert.Equal(ChunkState.Sending, await StateAsync(world, "reds-2027-guide", 2));

        world.Clock.Advance(TimeSpan.FromMinutes(6));
        await world.TickAsync();

        Assert.Equal(ChunkState.Sent, await StateAsync(world, "reds-2027-guide", 2));
        Assert.Single(world.SendGrid.Accepted);
        Assert.Empty(await world.Jobs.ListFlagsAsync(default));
    }

    [Fact]
    public async Task Discard_is_recorded_with_who_and_a_discarded_chunk_cannot_be_released()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Leaky("reds-2027-guide", 1, 1, 0));

        Assert.True((await world.IncidentService.DiscardAsync("reds-2027-guide", 1, Officer, default)).Done);
        Assert.False((await world.IncidentService.ReleaseAsync("reds-2027-guide", 1, null, true, Officer, default)).Done);
        Assert.False((await world.IncidentService.DiscardAsync("reds-2027-guide", 1, Officer, default)).Done);

        Assert.Equal(ChunkState.Discarded, await StateAsync(world, "reds-2027-guide", 1));
        Assert.Contains(await world.Incidents.EventsAsync(IncidentOf("reds-2027-guide"), default), e => e.Kind == IncidentEventKind.ChunkDiscarded && e.Who == Officer.Who);
        Assert.Equal(0, world.SendGrid.Requests);
    }
}
