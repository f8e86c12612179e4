using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.TestSupport.InMemory;
using static MisSend.Application.Tests.Scenario;

namespace MisSend.Application.Tests;

/// <summary>
/// Issue 10, "at most once is not true" and "a crash after the claim and before the SendGrid call": a lost answer is
/// unknown, never "not accepted"; nothing is sent again until Email Activity says it was not accepted, long after the
/// attempt; and a chunk that never reached SendGrid is sent, once, instead of being recorded as delivered.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class AtMostOnceTests
{
    private const string JobId = "reds-2027-payment-guide";

    [Fact]
    public async Task Dropped_answer_after_SendGrid_took_the_chunk_is_unknown_then_reconciled_as_sent_and_never_sent_twice()
    {
        using var world = InMemoryWorld.Create(o => o.ActivityIndexingLag = TimeSpan.FromMinutes(15));
        world.SendGrid.IndexingDelay = TimeSpan.FromMinutes(3);
        world.SendGrid.FailSends(SendFault.DropResponse);
        var message = Clean(JobId, 1, 1, 0, count: 100);

        var first = await world.HandleAsync(message);
        Assert.Equal(InspectionOutcome.Unknown, first.Outcome);
        Assert.Equal(ChunkState.Unknown, await StateAsync(world, JobId, 1));

        // The queue delivers the message again at once, and the timer ticks: Email Activity has not indexed it yet.
        Assert.Equal(InspectionOutcome.Unknown, (await world.HandleAsync(message)).Outcome);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.TickAsync();
        Assert.Single(world.SendGrid.Accepted);

        world.Clock.Advance(TimeSpan.FromMinutes(3));
        await world.TickAsync();

        Assert.Equal(ChunkState.Sent, await StateAsync(world, JobId, 1));
        Assert.Single(world.SendGrid.Accepted);
        Assert.Equal(1, world.SendGrid.Requests);
        Assert.All(Batches.People(0, 100), p => Assert.Equal(1, world.SendGrid.DeliveredTo(p.Email)));
        Assert.Empty(await world.Jobs.ListFlagsAsync(default));
        Assert.Equal(InspectionOutcome.Duplicate, (await world.HandleAsync(message)).Outcome);
    }

    [Fact]
    public async Task Crash_after_the_claim_before_any_request_sends_the_chunk_once_on_redelivery()
    {
        using var world = InMemoryWorld.Create();
        var message = Clean(JobId, 1, 1, 0, count: 100);
        world.Faults.CrashAt(StepPhase.After, Ops.AddChunk);

        await Assert.ThrowsAsync<SimulatedCrash>(() => world.HandleAsync(message));
        Assert.Equal(ChunkState.Claimed, await StateAsync(world, JobId, 1));

        // The redelivery comes while the dead worker's lease runs: it waits (the queue retries) ...
        await Assert.ThrowsAsync<ChunkBusyException>(() => world.HandleAsync(message));
        Assert.Equal(0, world.SendGrid.Requests);

        // ... and after it, sends: nothing had left, so nothing is in doubt.
        world.Clock.Advance(TimeSpan.FromMinutes(6));
        var result = await world.HandleAsync(message);

        Assert.Equal(InspectionOutcome.Sent, result.Outcome);
        Assert.Single(world.SendGrid.Accepted);
        Assert.All(Batches.People(0, 100), p => Assert.Equal(1, world.SendGrid.DeliveredTo(p.Email)));
    }

    [Fact]
    public async Task Crash_just_before_the_request_is_unknown_until_Email_Activity_shows_it_never_came_then_sent_once()
    {
        using var world = InMemoryWorld.Create(o => o.ActivityIndexingLag = TimeSpan.FromMinutes(15));
        var message = Clean(JobId, 1, 1, 0, count: 100);
        world.Faults.CrashAt(StepPhase.Before, Ops.Send);

        await Assert.ThrowsAsync<SimulatedCrash>(() => world.HandleAsync(message));
        Assert.Equal(ChunkState.Sending, await StateAsync(world, JobId, 1));

        // Redelivered after the lease: it may have been sent, so it is not sent again on a guess.
        world.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(InspectionOutcome.Unknown, (await world.HandleAsync(message)).Outcome);
        Assert.Equal(0, world.SendGrid.Requests);
        var report = await world.TickAsync();

        // Long after the attempt, Email Activity still has nothing: it was not accepted, so it goes now, once.
        world.Clock.Advance(TimeSpan.FromMinutes(16));
        await world.TickAsync();

        Assert.Equal(ChunkState.Sent, await StateAsync(world, JobId, 1));
        Assert.Single(world.SendGrid.Accepted);
        Assert.Empty(await world.Jobs.ListFlagsAsync(default));
    }

    [Fact]
    public async Task Crash_after_SendGrid_accepted_and_before_the_record_is_reconciled_as_sent_not_sent_again()
    {
        using var world = InMemoryWorld.Create();
        var message = Clean(JobId, 1, 1, 0, count: 20);
        world.Faults.CrashAt(StepPhase.Before, Ops.ReplaceChunk, s => s.Subject.EndsWith(":sent", StringComparison.Ordinal));

        await Assert.ThrowsAsync<SimulatedCrash>(() => world.HandleAsync(message));
        world.Clock.Advance(TimeSpan.FromMinutes(6));
        var redelivered = await world.HandleAsync(message);

        Assert.Equal(InspectionOutcome.Sent, redelivered.Outcome);
        Assert.Equal("reconciled through Email Activity", redelivered.Reason);
        Assert.Single(world.SendGrid.Accepted);
        Assert.Equal(ChunkState.Sent, await StateAsync(world, JobId, 1));
    }

    [Fact]
    public async Task Email_Activity_unavailable_leaves_the_chunk_unknown_for_the_operator_never_resent()
    {
        using var world = InMemoryWorld.Create();
        world.SendGrid.FailSends(SendFault.DropResponse);
        var message = Clean(JobId, 1, 1, 0);
        await world.HandleAsync(message);
        world.SendGrid.AnswerActivity(ActivityAnswer.Unavailable);

        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await world.TickAsync();
        world.Clock.Advance(TimeSpan.FromHours(2));
        await world.TickAsync();

        var chunk = (await world.Jobs.GetChunkAsync(JobId, 1, default))!;
        Assert.Equal(ChunkState.Unknown, chunk.State);
        Assert.Contains("cannot be known", chunk.Reason);
        Assert.Single(world.SendGrid.Accepted);
        Assert.Equal(1, world.SendGrid.ActivityQueries);
    }

    [Fact]
    public async Task SendGrid_refusing_with_500_leaves_the_chunk_not_sent_for_the_queue_to_retry_and_the_retry_sends_once()
    {
        using var world = InMemoryWorld.Create();
        world.SendGrid.FailSends(SendFault.ServerError);
        var message = Clean(JobId, 1, 1, 0);

        var error = await Assert.ThrowsAsync<SendNotAcceptedException>(() => world.HandleAsync(message));
        Assert.Equal(500, error.Status);
        Assert.Equal(ChunkState.NotSent, await StateAsync(world, JobId, 1));

        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(message)).Outcome);
        Assert.Single(world.SendGrid.Accepted);
        Assert.Equal(2, world.SendGrid.Requests);
    }

    [Fact]
    public async Task SendGrid_refusing_with_400_is_recorded_with_its_reason_and_not_retried()
    {
        using var world = InMemoryWorld.Create();
        world.SendGrid.FailSends(SendFault.BadRequest);
        var message = Clean(JobId, 1, 1, 0);

        var result = await world.HandleAsync(message);

        Assert.Equal(InspectionOutcome.Refused, result.Outcome);
        var chunk = (await world.Jobs.GetChunkAsync(JobId, 1, default))!;
        Assert.Equal(ChunkState.Refused, chunk.State);
        Assert.Contains("400", chunk.Reason);
        Assert.Equal(InspectionOutcome.Duplicate, (await world.HandleAsync(message)).Outcome);
        Assert.Equal(1, world.SendGrid.Requests);
    }
}
