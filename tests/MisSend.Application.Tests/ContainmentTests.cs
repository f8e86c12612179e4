using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.TestSupport.InMemory;
using static MisSend.Application.Tests.Scenario;

namespace MisSend.Application.Tests;

/// <summary>
/// Issue 10, "containment": clean chunks past their re-check went out after another chunk halted the job (15 in 24
/// parallel runs); a failed cancel was never retried; unknown chunks were never cancelled; and one batch_id per chunk
/// ran into SendGrid's limit of 10 cancelled batches. With a hold window, the job's one batch id stops them all.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ContainmentTests
{
    private const string JobId = "reds-2027-renewal";

    [Fact]
    public async Task Clean_chunk_between_its_last_recheck_and_the_send_when_another_halts_is_cancelled_before_send_at()
    {
        using var world = InMemoryWorld.Create();
        var hold = ByMemberNo(holdMinutes: 30);
        var parked = world.Faults.PauseAt(StepPhase.Before, Ops.Send, MailTo(0));

        var clean = Task.Run(() => world.HandleAsync(Clean(JobId, 1, 2, 0, policy: hold), "m1"));
        await parked.Reached;
        var halted = await world.HandleAsync(Leaky(JobId, 2, 2, 10, policy: ByMemberNo(holdMinutes: 30)), "m2");
        parked.Release();

        Assert.Equal(InspectionOutcome.Halted, halted.Outcome);
        Assert.Equal(InspectionOutcome.Contained, (await clean).Outcome);
        Assert.Equal(ChunkState.Cancelled, await StateAsync(world, JobId, 1));
        Assert.Single(world.SendGrid.Accepted);
        Assert.Empty(world.SendGrid.Delivered);
        Assert.Equal(CancelState.Done, (await world.Jobs.GetJobAsync(JobId, default))!.Cancel);
    }

    [Fact]
    public async Task A_dozen_held_chunks_share_the_jobs_one_batch_id_and_one_cancel_stops_them_all()
    {
        using var world = InMemoryWorld.Create();
        for (var c = 1; c <= 12; c++)
        {
            Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(Clean(JobId, c, 13, c * 10, policy: ByMemberNo(30)), $"m{c}")).Outcome);
        }

        Assert.Equal(InspectionOutcome.Halted, (await world.HandleAsync(Leaky(JobId, 13, 13, 500, policy: ByMemberNo(30)), "m13")).Outcome);

        Assert.Single(world.SendGrid.Accepted.Select(m => m.BatchId).Distinct());
        Assert.Single(world.SendGrid.Cancels);
        Assert.All(await world.Jobs.ListChunksAsync(JobId, default), c => Assert.Contains(c.State, new[] { ChunkState.Cancelled, ChunkState.Quarantined }));
        Assert.Empty(world.SendGrid.Delivered);
        await world.TickAsync();
        Assert.Equal(IncidentStatus.Contained, (await world.Incidents.GetAsync(IncidentOf(JobId), default))!.Status);
    }

    [Fact]
    public async Task Failed_cancel_is_retried_by_the_sweep_with_back_off_until_SendGrid_confirms_it()
    {
        using var world = InMemoryWorld.Create();
        await world.HandleAsync(Clean(JobId, 1, 2, 0, policy: ByMemberNo(30)), "m1");
        world.SendGrid.AnswerCancels(new MailResult(MailOutcome.NotAccepted, 500), new MailResult(MailOutcome.Unknown, null, "timeout"));

        await world.HandleAsync(Leaky(JobId, 2, 2, 10, policy: ByMemberNo(30)), "m2");
        Assert.Equal(CancelState.Requested, (await world.Jobs.GetJobAsync(JobId, default))!.Cancel);
        Assert.Contains(new AttentionFlag(JobId, AttentionFlag.Job), await world.Jobs.ListFlagsAsync(default));

        // The incident is not closed while the cancel is wanted: the held chunk may still go out.
        await world.TickAsync();
        Assert.Equal(IncidentStatus.Open, (await world.Incidents.GetAsync(IncidentOf(JobId), default))!.Status);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.TickAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await world.TickAsync();

        Assert.Single(world.SendGrid.Cancels);
        Assert.Equal(CancelState.Done, (await world.Jobs.GetJobAsync(JobId, default))!.Cancel);
        Assert.Equal(ChunkState.Cancelled, await StateAsync(world, JobId, 1));
        Assert.Empty(world.SendGrid.Delivered);
        Assert.Empty(await world.Jobs.ListFlagsAsync(default));
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.TickAsync();
        Assert.Equal(IncidentStatus.Contained, (await world.Incidents.GetAsync(IncidentOf(JobId), default))!.Status);
    }

    [Fact]
    public async Task Cancel_that_cannot_succeed_before_send_at_is_recorded_too_late_and_its_exposures_are_told()
    {
        using var world = InMemoryWorld.Create();
        var (chunk1, chunk2) = FanIn(JobId, holdMinutes: 15);
        await world.HandleAsync(chunk1, "m1");
        world.SendGrid.AnswerCancels(Enumerable.Repeat(new MailResult(MailOutcome.NotAccepted, 503), 20).ToArray());
        Assert.Equal(InspectionOutcome.Halted, (await world.HandleAsync(chunk2, "m2")).Outcome);

        for (var minute = 0; minute < 8; minute++)
        {
            world.Clock.Advance(TimeSpan.FromMinutes(1));
            await world.TickAsync();
        }

        Assert.Equal(CancelState.TooLate, (await world.Jobs.GetJobAsync(JobId, default))!.Cancel);
        Assert.Equal(ChunkState.Sent, await StateAsync(world, JobId, 1));
        var events = await world.Incidents.EventsAsync(IncidentOf(JobId), default);
        Assert.Contains(events, e => e.Kind == IncidentEventKind.CancelTooLate && e.Chunk == 1);
        var notices = world.SendGrid.Accepted.Where(m => m.Arg("notice_wave") is not null).SelectMany(m => m.Recipients);
        Assert.Equal([Batches.Person(0).Email], notices);
        Assert.Empty(await world.Jobs.ListFlagsAsync(default));
    }

    [Fact]
    public async Task Held_chunk_whose_answer_was_lost_is_cancelled_with_the_rest_of_the_job()
    {
        using var world = InMemoryWorld.Create();
        world.SendGrid.FailSends(SendFault.DropResponse);
        Assert.Equal(InspectionOutcome.Unknown, (await world.HandleAsync(Clean(JobId, 1, 2, 0, policy: ByMemberNo(30)), "m1")).Outcome);

        await world.HandleAsync(Leaky(JobId, 2, 2, 10, policy: ByMemberNo(30)), "m2");

        Assert.Equal(ChunkState.Cancelled, await StateAsync(world, JobId, 1));
        Assert.Single(world.SendGrid.Cancels);
        Assert.Empty(world.SendGrid.Delivered);
        await world.TickAsync();
        Assert.Equal(0, world.SendGrid.ActivityQueries);
        Assert.Equal(IncidentStatus.Contained, (await world.Incidents.GetAsync(IncidentOf(JobId), default))!.Status);
    }
}
