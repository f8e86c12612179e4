using MisSend.Application.Incidents;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Core.Detection;

namespace MisSend.Application.Tests;

/// <summary>The application's pure rules: the cross-chunk judgement, exposure attribution, input rules.</summary>
public sealed class RulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 1, 0, 0, TimeSpan.Zero);
    private static readonly DataCategory[] Guide = [DataCategory.Name, DataCategory.Amount];

    private static LedgerDelivery Earlier(int chunk, string recipient, string subject, bool ownerConfirmed = false, string? subjectEmail = null) =>
        new("job-1", chunk, 0, recipient, subject, subjectEmail, Guide, ownerConfirmed, Misdirected: false);

    private static Verdict Chunk(params Delivery[] deliveries) => new([], deliveries.Length, deliveries.Length, deliveries);

    [Fact]
    public void Cross_chunk_judgement_halts_a_recipient_given_another_subject_and_names_the_earlier_delivery_as_exposure()
    {
        var verdict = Chunk(new Delivery(0, "r@example.jp", "k:RS-50", null, Guide, false, false), new Delivery(1, "s40@example.jp", "k:RS-40", null, Guide, true, false));

        var judgement = CrossChunkCheck.Judge(2, verdict, [Earlier(1, "r@example.jp", "k:RS-40", subjectEmail: "r@example.jp"), Earlier(1, "r@example.jp", "k:RS-50", ownerConfirmed: true)]);

        // r@ now gets RS-50 after RS-40 (fan-in), and RS-40's data, confirmed as s40@'s now, went to r@ before (spread).
        Assert.Equal([(Rules.FanInAcrossChunks, 0), (Rules.SpreadAcrossChunks, 1)], judgement.Findings.Select(f => (f.Rule, f.Personalization ?? -1)));
        Assert.All(judgement.Findings, f => Assert.DoesNotContain("r@example.jp", f.Detail));
        var exposure = Assert.Single(judgement.Exposures);
        // The subject's real address is where this chunk confirms them, never the recipient's own.
        Assert.Equal(("r@example.jp", "k:RS-40", "s40@example.jp"), (exposure.Recipient, exposure.SubjectKey, exposure.SubjectEmail));
    }

    [Fact]
    public void Cross_chunk_judgement_passes_the_same_subject_again_and_ignores_its_own_chunk()
    {
        var verdict = Chunk(new Delivery(0, "r@example.jp", "k:RS-40", null, Guide, false, false));

        Assert.Empty(CrossChunkCheck.Judge(2, verdict, [Earlier(1, "r@example.jp", "k:RS-40"), Earlier(2, "r@example.jp", "k:RS-99")]).Findings);
    }

    [Theory]
    [InlineData(ChunkState.Sent, "reached")]
    [InlineData(ChunkState.Claimed, "pending")]
    [InlineData(ChunkState.Sending, "pending")]
    [InlineData(ChunkState.Unknown, "pending")]
    [InlineData(ChunkState.NotSent, "pending")]
    [InlineData(ChunkState.Quarantined, "none")]
    [InlineData(ChunkState.Cancelled, "none")]
    [InlineData(ChunkState.Discarded, "none")]
    [InlineData(ChunkState.Refused, "none")]
    [InlineData(ChunkState.Failed, "none")]
    public void Exposure_reaches_someone_exactly_when_its_chunk_went_out(ChunkState state, string expected)
    {
        var candidate = new ExposureCandidate("INC-1", 1, "r@example.jp", "k:RS-40", null, Guide);

        var a = ExposureAttribution.Attribute(new JobRecord("job-1"), [new ChunkRecord("job-1", 1) { State = state }], [candidate], Now);

        Assert.Equal(expected, a.Reached.Count > 0 ? "reached" : a.Pending.Count > 0 ? "pending" : "none");
        Assert.Equal(expected != "pending", a.Settled);
    }

    [Fact]
    public void Held_chunk_is_pending_while_its_jobs_cancel_is_wanted_and_reached_once_too_late()
    {
        var candidate = new ExposureCandidate("INC-1", 1, "r@example.jp", "k:RS-40", null, Guide);
        var held = new ChunkRecord("job-1", 1) { State = ChunkState.Sent, SendAt = Now.AddMinutes(20) };

        var wanted = ExposureAttribution.Attribute(new JobRecord("job-1") { Cancel = CancelState.Requested }, [held], [candidate], Now);
        var tooLate = ExposureAttribution.Attribute(new JobRecord("job-1") { Cancel = CancelState.TooLate }, [held], [candidate], Now);

        Assert.Equal((0, 1, false), (wanted.Reached.Count, wanted.Pending.Count, wanted.Settled));
        Assert.Equal((1, 0, true), (tooLate.Reached.Count, tooLate.Pending.Count, tooLate.Settled));
    }

    [Theory]
    [InlineData("reds-2027-renewal", true)]
    [InlineData("msg-5996d8ff-517a-4bcd-80dc-7441779819f4", true)]
    [InlineData("A.b_c-9", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("a#b", false)]
    [InlineData("a?b", false)]
    [InlineData("a\nb", false)]
    [InlineData("会員2027", false)]
    public void JobId_rule(string jobId, bool valid) => Assert.Equal(valid, JobIds.Problem(jobId) is null);

    [Theory]
    [InlineData("20261128/0f3c.json", true)]
    [InlineData("a", true)]
    [InlineData("", false)]
    [InlineData("..", false)]
    [InlineData("a/../b", false)]
    [InlineData("a//b", false)]
    [InlineData("a/./b", false)]
    [InlineData("/a", false)]
    [InlineData("a\\b", false)]
    [InlineData("a%2F..%2Fb", false)]
    public void Claim_check_names(string name, bool safe) => Assert.Equal(safe, ClaimCheckPointer.IsSafeName(name));

    [Fact]
    public void Message_that_only_mentions_claimCheck_is_a_batch_not_a_pointer()
    {
        Assert.False(ClaimCheckPointer.Read("{\"personalizations\":[],\"custom_args\":{\"note\":\"\\\"claimCheck\\\"\"}}", "claim-check").IsPointer);
        Assert.True(ClaimCheckPointer.Read(ClaimCheckPointer.Create("claim-check", "x.json", 10), "claim-check").IsPointer);
    }
}
