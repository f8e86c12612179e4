using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Ports;
using MisSend.Core.Detection;

namespace MisSend.Benchmarks;

/// <summary>
/// 10,000 notices through <see cref="NoticeDispatcher"/>: 5,000 exposures, each a distinct wrong recipient receiving a
/// distinct data subject's guide (10,000 distinct people), so one tick renders and sends 5,000 apologies and 5,000
/// delete requests (signed links) in waves of 1,000 to the SendGrid stand-in, claiming each notice in Table storage
/// (Azurite) and recording its wave before the send, and marking both sent after. Each iteration is one tick on fresh tables.
/// </summary>
[IoJob, MemoryDiagnoser]
public class NoticeDispatchBenchmarks
{
    public const int Exposures = 5000;
    public const int Notices = 2 * Exposures;

    private World _world = null!;
    private ServiceProvider _services = null!;
    private NoticeDispatcher _dispatcher = null!;

    [GlobalSetup]
    public async Task GlobalSetup() => _world = await World.StartAsync();

    [GlobalCleanup]
    public async Task GlobalCleanup() => await _world.DisposeAsync();

    [IterationSetup]
    public void IterationSetup()
    {
        _services = _world.NewServices();
        var incidents = _services.GetRequiredService<IIncidentStore>();
        var jobs = _services.GetRequiredService<IJobStore>();
        var incidentId = "inc-bench-" + Guid.NewGuid().ToString("N")[..8];
        var sentAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        const string jobId = "reds-2027-payment-guide";
        jobs.TryAddJobAsync(new JobRecord(jobId) { State = JobState.Halted, IncidentId = incidentId, FirstSentAt = sentAt, HaltedAt = sentAt }, CancellationToken.None).GetAwaiter().GetResult();
        incidents.TryAddAsync(IncidentRecord.Open(incidentId, jobId, MisSend.Core.Incidents.IncidentSource.Detector, true, OperatorAction.Detector, sentAt, "shared-personal-data") with
        {
            Language = "ja",
            ContactEmail = "privacy@reds-seasonticket.example.jp",
        }, CancellationToken.None).GetAwaiter().GetResult();

        // Recipients are holders 0..4999, data subjects holders 5000..9999: 10,000 distinct people, in chunks 1..5 (sent).
        DataCategory[] categories = [DataCategory.Email, DataCategory.Name, DataCategory.Address, DataCategory.Phone, DataCategory.MemberId, DataCategory.Amount, DataCategory.Seat];
        for (var chunk = 1; chunk <= Exposures / 1000; chunk++)
        {
            jobs.TryAddChunkAsync(new ChunkRecord(jobId, chunk) { State = ChunkState.Sent, SentAt = sentAt }, CancellationToken.None).GetAwaiter().GetResult();
        }

        var exposures = Enumerable.Range(0, Exposures).Select(i =>
        {
            var recipient = JapaneseBatches.Make(i);
            var subject = JapaneseBatches.Make(Exposures + i);
            return new ExposureCandidate(incidentId, 1 + i / 1000, recipient.Email, "e:" + subject.Email, subject.Email, categories);
        }).ToList();
        incidents.AddExposureCandidatesAsync(exposures, CancellationToken.None).GetAwaiter().GetResult();
        _dispatcher = _services.GetRequiredService<NoticeDispatcher>();
    }

    [IterationCleanup]
    public void IterationCleanup() => World.DropAsync(_services).GetAwaiter().GetResult();

    [Benchmark(Description = "Dispatch 10,000 notices (Azurite + stand-in)")]
    public async Task<int> Dispatch()
    {
        var summary = await _dispatcher.DispatchAsync(CancellationToken.None);
        if (summary.Sent != Notices || summary.Pending != 0)
        {
            throw new InvalidOperationException($"expected {Notices} notices sent, got {summary}");
        }

        return summary.Sent;
    }
}
