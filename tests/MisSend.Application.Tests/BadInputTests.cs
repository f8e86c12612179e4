using System.Text.Json.Nodes;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.TestSupport.InMemory;
using static MisSend.Application.Tests.Scenario;

namespace MisSend.Application.Tests;

/// <summary>
/// Issue 10, "bad messages": an unsafe claim-check pointer was read, sent and deleted; an empty blob name crash-looped
/// to poison; a reused jobId was silently dropped as a duplicate; a poisoned chunk left no trace; jobIds "." and ".."
/// half-completed a halt; a job's contactEmail was used unvalidated. Each is now rejected or recorded, visibly.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class BadInputTests
{
    private static string Pointer(string container, string blob) => ClaimCheckPointer.Create(container, blob, 1234);

    private static JsonNode? Reason(InMemoryWorld world, string messageId) =>
        world.Kept($"rejected/{messageId}.reason.json") is { } json ? JsonNode.Parse(json) : null;

    [Theory]
    [InlineData("claim-check", "../other-container/orders.json", "\"blob\" must be")]
    [InlineData("other-container", "orders.json", "only \"claim-check\" is read")]
    [InlineData("claim-check", "", "\"blob\" must be")]
    [InlineData("claim-check", "2026/../../secrets.json", "\"blob\" must be")]
    [InlineData("claim-check", "/absolute.json", "\"blob\" must be")]
    [InlineData("claim-check", "20261128/./x.json", "\"blob\" must be")]
    public async Task Claim_check_pointer_outside_the_container_or_to_an_unsafe_name_is_rejected_unread(string container, string blob, string reason)
    {
        using var world = InMemoryWorld.Create();
        var body = InMemoryWorld.Utf8(Clean("reds-2027-guide", 1, 1, 0));
        world.ClaimChecks.Put(blob, body);
        world.ClaimChecks.Put("orders.json", body);

        var result = await world.HandleAsync(Pointer(container, blob), "m-pointer");

        Assert.Equal(InspectionOutcome.Rejected, result.Outcome);
        Assert.Contains(reason, result.Reason);
        Assert.Equal(0, world.SendGrid.Requests);
        Assert.True(world.ClaimChecks.Exists("orders.json"));
        Assert.Equal("rejected", Reason(world, "m-pointer")!["verdict"]!.GetValue<string>());
        Assert.DoesNotContain(world.Faults.Trace, s => s.Operation == Ops.AddChunk);
    }

    [Fact]
    public async Task Claim_check_pointer_to_a_missing_blob_is_rejected_with_its_reason_not_retried()
    {
        using var world = InMemoryWorld.Create();

        var result = await world.HandleAsync(Pointer("claim-check", "20261128/gone.json"), "m-gone");

        Assert.Equal(InspectionOutcome.Rejected, result.Outcome);
        Assert.Contains("not found", result.Reason);
    }

    [Fact]
    public async Task Safe_claim_check_pointer_is_read_sent_once_and_its_blob_deleted()
    {
        using var world = InMemoryWorld.Create();
        world.ClaimChecks.Put("20261128/0f3c.json", InMemoryWorld.Utf8(Clean("reds-2027-guide", 1, 1, 0)));

        var result = await world.HandleAsync(Pointer("claim-check", "20261128/0f3c.json"));

        Assert.Equal(InspectionOutcome.Sent, result.Outcome);
        Assert.False(world.ClaimChecks.Exists("20261128/0f3c.json"));
        Assert.Single(world.SendGrid.Accepted);
    }

    [Fact]
    public async Task Reused_jobId_of_a_finished_job_is_rejected_with_a_clear_reason_not_dropped_as_a_duplicate()
    {
        using var world = InMemoryWorld.Create();
        var lastWeek = Clean("reds-2027-guide", 1, 1, 0);
        var thisWeek = Clean("reds-2027-guide", 1, 1, 50);
        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(lastWeek, "m-last-week")).Outcome);

        var redelivered = await world.HandleAsync(lastWeek, "m-last-week");
        var reused = await world.HandleAsync(thisWeek, "m-this-week");

        Assert.Equal(InspectionOutcome.Duplicate, redelivered.Outcome);
        Assert.Equal(InspectionOutcome.Rejected, reused.Outcome);
        Assert.Contains("already holds another batch", reused.Reason);
        Assert.Contains("new jobId", reused.Reason);
        Assert.Equal(thisWeek, world.Kept("rejected/m-this-week.json"));
        Assert.Single(world.SendGrid.Accepted);
        Assert.Equal(ChunkState.Sent, await StateAsync(world, "reds-2027-guide", 1));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("-leading-dash")]
    [InlineData("ジョブ2027")]
    [InlineData("job id with spaces")]
    [InlineData("job~attention")]
    public async Task JobId_outside_the_documented_rule_is_rejected_before_anything_is_written(string jobId)
    {
        using var world = InMemoryWorld.Create();

        var result = await world.HandleAsync(Leaky(jobId, 1, 2, 0), "m-bad-job");

        Assert.Equal(InspectionOutcome.Rejected, result.Outcome);
        Assert.Contains(JobIds.Rule, result.Reason);
        Assert.DoesNotContain(world.Faults.Trace, s => s.Operation is Ops.AddJob or Ops.AddChunk or Ops.AddIncident);
        Assert.Equal(0, world.SendGrid.Requests);
    }

    [Fact]
    public async Task JobId_of_100_characters_is_accepted_and_101_rejected()
    {
        using var world = InMemoryWorld.Create();

        Assert.Equal(InspectionOutcome.Sent, (await world.HandleAsync(Clean(new string('j', 100), 1, 1, 0), "m1")).Outcome);
        Assert.Equal(InspectionOutcome.Rejected, (await world.HandleAsync(Clean(new string('j', 101), 1, 1, 0), "m2")).Outcome);
    }

    [Theory]
    [InlineData("privacy@reds-seasonticket.example.jp, someone@attacker.example")]
    [InlineData("Privacy Office <privacy@reds-seasonticket.example.jp>")]
    [InlineData("privacy@reds-seasonticket.example.jp\r\nBcc: someone@attacker.example")]
    [InlineData("privacy")]
    [InlineData("privacy@localhost")]
    public async Task Policy_contactEmail_that_is_not_one_plain_address_is_rejected(string contact)
    {
        using var world = InMemoryWorld.Create();
        var policy = new JsonObject { ["language"] = "ja", ["contactEmail"] = contact };

        var result = await world.HandleAsync(Leaky("reds-2027-guide", 1, 1, 0, policy: policy));

        Assert.Equal(InspectionOutcome.Rejected, result.Outcome);
        Assert.Contains("contactEmail", result.Reason);
        Assert.Empty(await world.Incidents.ListOpenAsync(default));
    }

    [Fact]
    public async Task Poisoned_message_leaves_its_chunk_failed_with_the_reason_and_the_body_set_aside()
    {
        using var world = InMemoryWorld.Create();
        var message = Clean("reds-2027-guide", 1, 1, 0);
        world.SendGrid.FailSends(MisSend.TestSupport.InMemory.SendFault.ServerError, times: 5);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await Assert.ThrowsAsync<SendNotAcceptedException>(() => world.HandleAsync(message, "m-poison"));
        }

        await world.Inspector.RecordPoisonedAsync(message, "m-poison", default);

        var chunk = (await world.Jobs.GetChunkAsync("reds-2027-guide", 1, default))!;
        Assert.Equal(ChunkState.Failed, chunk.State);
        Assert.Contains("poisoned/m-poison", chunk.Reason);
        Assert.Equal(message, world.Kept("poisoned/m-poison.json"));
        Assert.Equal("poisoned", JsonNode.Parse(world.Kept("poisoned/m-poison.reason.json")!)!["verdict"]!.GetValue<string>());
        Assert.Empty(world.SendGrid.Accepted);
    }

    [Fact]
    public async Task Poisoned_message_whose_chunk_never_got_a_row_leaves_a_failed_row()
    {
        using var world = InMemoryWorld.Create();
        var message = Clean("reds-2027-guide", 2, 3, 0);

        await world.Inspector.RecordPoisonedAsync(message, "m-poison", default);

        var chunk = (await world.Jobs.GetChunkAsync("reds-2027-guide", 2, default))!;
        Assert.Equal(ChunkState.Failed, chunk.State);
        Assert.Contains("not sent", chunk.Reason);
    }

    [Fact]
    public async Task Poisoned_message_of_a_chunk_mid_send_is_left_to_the_sweep_which_settles_it()
    {
        using var world = InMemoryWorld.Create(o => o.ActivityIndexingLag = TimeSpan.FromMinutes(15));
        var message = Clean("reds-2027-guide", 1, 1, 0);
        world.Faults.CrashAt(StepPhase.After, Ops.Send);
        await Assert.ThrowsAsync<SimulatedCrash>(() => world.HandleAsync(message, "m-poison"));

        await world.Inspector.RecordPoisonedAsync(message, "m-poison", default);
        Assert.Contains(new AttentionFlag("reds-2027-guide", 1), await world.Jobs.ListFlagsAsync(default));
        world.Clock.Advance(TimeSpan.FromMinutes(6));
        await world.TickAsync();

        Assert.Equal(ChunkState.Sent, await StateAsync(world, "reds-2027-guide", 1));
        Assert.Single(world.SendGrid.Accepted);
    }
}
