using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.TestSupport.InMemory;

namespace MisSend.Application.Tests;

/// <summary>
/// Issue 10, "notice reconciliation gives up on one error" and "at most once" for notices: a dropped answer sent
/// 10 of 20 people their wave twice; a transient 500 from Email Activity marked a wave unconfirmed for good; an empty
/// answer (indexing lag) re-sent to people who had it; a wave refused with 400 was retried every tick forever.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class NoticeReconciliationTests
{
    private const string JobId = "reds-2027-payment-guide";

    /// <summary>An incident as a halt leaves it: each of 10 subjects' guides reached another holder (20 people in all).</summary>
    private static async Task<string> SeedAsync(InMemoryWorld world, int subjects = 10)
    {
        var incidentId = Keys.IncidentFor(JobId);
        await world.Incidents.TryAddAsync(IncidentRecord.Open(incidentId, JobId, IncidentSource.Detector, personalDataLeft: true, OperatorAction.Detector, world.Clock.GetUtcNow(), "fan-in-across-chunks") with { Language = "ja" }, default);
        await world.Incidents.AddExposureCandidatesAsync(Enumerable.Range(0, subjects).Select(i =>
        {
            var (recipient, subject) = (Batches.Person(100 + i), Batches.Person(i));
            return new ExposureCandidate(incidentId, 1, recipient.Email, "e:" + subject.Email, subject.Email, [DataCategory.Name, DataCategory.Amount, DataCategory.Seat]);
        }).ToList(), default);
        return incidentId;
    }

    private static List<string> Notified(InMemoryWorld world) =>
        world.SendGrid.Accepted.Where(m => m.Arg("notice_wave") is not null).SelectMany(m => m.Recipients).ToList();

    private static void AssertEachOnce(InMemoryWorld world, int subjects = 10)
    {
        var notified = Notified(world);
        Assert.Equal(2 * subjects, notified.Count);
        Assert.Equal(2 * subjects, notified.Distinct().Count());
    }

    [Fact]
    public async Task Dropped_answer_to_a_wave_is_never_sent_again_and_Email_Activity_settles_it_as_sent()
    {
        using var world = InMemoryWorld.Create(o => o.ActivityIndexingLag = TimeSpan.FromMinutes(15));
        world.SendGrid.IndexingDelay = TimeSpan.FromMinutes(2);
        var incidentId = await SeedAsync(world);
        world.SendGrid.FailSends(SendFault.DropResponse, b => b["custom_args"]?["notice_wave"] is not null);

        await world.TickAsync();
        for (var minute = 0; minute < 5; minute++)
        {
            world.Clock.Advance(TimeSpan.FromMinutes(1));
            await world.TickAsync();
        }

        AssertEachOnce(world);
        Assert.All(await world.Notices.ListAsync(incidentId, default), n => Assert.Equal(NoticeState.Sent, n.State));
        Assert.Equal(IncidentStatus.Notified, (await world.Incidents.GetAsync(incidentId, default))!.Status);
    }

    [Fact]
    public async Task Empty_Email_Activity_answer_within_the_indexing_lag_is_not_read_as_not_sent()
    {
        using var world = InMemoryWorld.Create(o => o.ActivityIndexingLag = TimeSpan.FromMinutes(15), n => n.Lease = TimeSpan.FromSeconds(30));
        world.SendGrid.IndexingDelay = TimeSpan.FromMinutes(8);
        var incidentId = await SeedAsync(world);
        // The dispatcher dies right after SendGrid took the first wave.
        world.Faults.CrashAt(StepPhase.After, Ops.Send, s => s.Subject.StartsWith("wave:", StringComparison.Ordinal));

        await Assert.ThrowsAsync<SimulatedCrash>(world.TickAsync);
        for (var minute = 0; minute < 10; minute++)
        {
            world.Clock.Advance(TimeSpan.FromMinutes(1));
            await world.TickAsync();
        }

        AssertEachOnce(world);
        Assert.True(world.SendGrid.ActivityQueries >= 2, "Email Activity was asked more than once");
        Assert.All(await world.Notices.ListAsync(incidentId, default), n => Assert.Equal(NoticeState.Sent, n.State));
    }

    [Fact]
    public async Task Transient_error_from_Email_Activity_is_asked_again_later_not_unconfirmed_for_good()
    {
        using var world = InMemoryWorld.Create();
        var incidentId = await SeedAsync(world);
        world.SendGrid.FailSends(SendFault.DropResponse, b => b["custom_args"]?["notice_wave"] is not null, times: 2);
        world.SendGrid.AnswerActivity(ActivityAnswer.TransientError, ActivityAnswer.TransientError);

        await world.TickAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.TickAsync();
        Assert.Equal(IncidentStatus.Open, (await world.Incidents.GetAsync(incidentId, default))!.Status);
        world.Clock.Advance(TimeSpan.FromMinutes(3));
        await world.TickAsync();

        AssertEachOnce(world);
        Assert.All(await world.Notices.ListAsync(incidentId, default), n => Assert.Equal(NoticeState.Sent, n.State));
        Assert.Equal(IncidentStatus.Notified, (await world.Incidents.GetAsync(incidentId, default))!.Status);
    }

    [Fact]
    public async Task Wave_SendGrid_refuses_with_400_is_failed_with_its_reason_shown_and_not_retried()
    {
        using var world = InMemoryWorld.Create();
        var incidentId = await SeedAsync(world);
        world.SendGrid.FailSends(SendFault.BadRequest, b => FakeSendGrid.To(b, Batches.Person(0).Email));

        var first = await world.TickAsync();
        for (var minute = 0; minute < 5; minute++)
        {
            world.Clock.Advance(TimeSpan.FromMinutes(1));
            await world.TickAsync();
        }

        Assert.Equal(10, first.Failed);
        Assert.Equal(2, world.SendGrid.Requests); // the delete requests' wave, and the refused apologies' wave once
        var apologies = (await world.Notices.ListAsync(incidentId, default)).Where(n => n.Kind == Core.Notices.NoticeKind.Apology).ToList();
        Assert.All(apologies, n => Assert.Equal(NoticeState.Failed, n.State));
        var wave = Assert.Single(await world.Notices.ListWavesAsync(incidentId, default), w => w.State == NoticeState.Failed);
        Assert.Contains("400", wave.Reason);
        Assert.Equal(IncidentStatus.NotifiedWithUnconfirmed, (await world.Incidents.GetAsync(incidentId, default))!.Status);

        var report = (await world.IncidentService.ReportAsync(incidentId, default))!;
        Assert.Equal((0, 0, 10, 0, 10), (report.Notices.Apologies.Sent, report.Notices.Apologies.Pending, report.Notices.DeleteRequests.Sent, report.Notices.DeleteRequests.Pending, report.Notices.Apologies.Failed));
        Assert.Contains(report.Timeline, e => e.Kind == Core.Reports.TimelineEventKind.NoticeWaveFailed && e.Count == 10 && e.Notice == Core.Notices.NoticeKind.Apology);
        Assert.Contains(world.Logs.Messages, m => m.StartsWith("Error", StringComparison.Ordinal) && m.Contains("refused a wave"));
    }

    [Fact]
    public async Task Wave_that_never_reached_SendGrid_is_sent_again_once_long_after_the_attempt()
    {
        using var world = InMemoryWorld.Create(o => o.ActivityIndexingLag = TimeSpan.FromMinutes(15), n => n.Lease = TimeSpan.FromSeconds(30));
        var incidentId = await SeedAsync(world);
        world.Faults.CrashAt(StepPhase.Before, Ops.Send, s => s.Subject.StartsWith("wave:", StringComparison.Ordinal));

        await Assert.ThrowsAsync<SimulatedCrash>(world.TickAsync);
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        await world.TickAsync();
        Assert.Equal(10, Notified(world).Count); // the other wave; this one is unknown, not re-sent
        world.Clock.Advance(TimeSpan.FromMinutes(11));
        await world.TickAsync();

        AssertEachOnce(world);
        Assert.Equal(IncidentStatus.Notified, (await world.Incidents.GetAsync(incidentId, default))!.Status);
    }

    [Fact]
    public async Task Dispatcher_dying_after_claiming_rows_before_recording_their_wave_leaves_them_to_the_next_tick()
    {
        using var world = InMemoryWorld.Create(notices: n => n.Lease = TimeSpan.FromSeconds(30));
        var incidentId = await SeedAsync(world);
        world.Faults.CrashAt(StepPhase.Before, Ops.AddWave);

        await Assert.ThrowsAsync<SimulatedCrash>(world.TickAsync);
        await world.TickAsync();
        Assert.Empty(Notified(world)); // claimed under a live lease: someone else's
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.TickAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.TickAsync();

        AssertEachOnce(world);
        Assert.Equal(0, world.SendGrid.ActivityQueries); // no wave was recorded, so none could have been sent
    }

    [Fact]
    public async Task Two_dispatchers_interleaved_at_the_send_tell_each_person_once()
    {
        using var world = InMemoryWorld.Create();
        var incidentId = await SeedAsync(world);
        var parked = world.Faults.PauseAt(StepPhase.Before, Ops.Send, s => s.Subject.StartsWith("wave:", StringComparison.Ordinal));

        var a = Task.Run(() => world.Dispatcher.DispatchAsync(default));
        await parked.Reached;
        var b = await world.Dispatcher.DispatchAsync(default);
        parked.Release();
        var aSummary = await a;

        AssertEachOnce(world);
        Assert.Equal(20, aSummary.Sent + b.Sent);
    }

    [Fact]
    public async Task Apology_says_the_wrong_recipients_were_asked_to_delete_only_once_they_were()
    {
        const string asked = "お客様の情報を受け取った方に、メールを開封せずに削除していただくよう、お願いいたしました。";
        const string planned = "お客様の情報を受け取った方に、メールを削除していただくようお願いいたします（手配中）。";
        static string Apology(InMemoryWorld w) => w.SendGrid.Accepted
            .Single(m => m.Body["categories"]?[1]?.GetValue<string>() == "apology").Body["personalizations"]![0]!["substitutions"]!["-notice-text-"]!.GetValue<string>();

        using (var world = InMemoryWorld.Create())
        {
            await SeedAsync(world, subjects: 2);
            world.SendGrid.FailSends(SendFault.ServerError, b => b["categories"]![1]!.GetValue<string>() == "delete-request");
            await world.TickAsync();
            Assert.DoesNotContain(asked, Apology(world));
            Assert.Contains(planned, Apology(world));
        }

        using (var world = InMemoryWorld.Create())
        {
            await SeedAsync(world, subjects: 2);
            await world.TickAsync();
            Assert.Contains(asked, Apology(world));
            Assert.DoesNotContain(planned, Apology(world));
        }
    }
}
