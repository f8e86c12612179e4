using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Azure.Notices;
using MisSend.Azure.Storage;

namespace MisSend.Benchmarks;

/// <summary>
/// 10,000 notices through <see cref="NoticeDispatcher"/>: 5,000 exposures, each a distinct wrong recipient receiving a
/// distinct data subject's guide (10,000 distinct people), so one tick renders and sends 5,000 apologies and 5,000
/// delete requests (signed links) in waves of 1,000 to the SendGrid stand-in, claiming each notice in Table storage
/// (Azurite) before the send and marking it sent after. Each iteration is one tick on fresh tables.
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
        var incidents = _services.GetRequiredService<IncidentStore>();
        var incidentId = "inc-bench-" + Guid.NewGuid().ToString("N")[..8];
        var sentAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        incidents.OpenAsync(new IncidentEntity
        {
            PartitionKey = incidentId,
            JobId = "reds-2027-payment-guide",
            Reason = "shared-personal-data",
            Language = "ja",
            ContactEmail = "privacy@reds-seasonticket.example.jp",
            OpenedAt = sentAt,
            FirstSentAt = sentAt,
        }, CancellationToken.None).GetAwaiter().GetResult();

        // Recipients are holders 0..4999, data subjects holders 5000..9999: 10,000 distinct people.
        var exposures = Enumerable.Range(0, Exposures).Select(i =>
        {
            var recipient = JapaneseBatches.Make(i);
            var subject = JapaneseBatches.Make(Exposures + i);
            return new ExposureEntity
            {
                Recipient = recipient.Email,
                SubjectKey = "e:" + subject.Email,
                SubjectEmail = subject.Email,
                Categories = "email,name,address,phone,member-id,amount,seat",
                Chunk = 1 + i / 1000,
                SentAt = sentAt,
            };
        }).ToList();
        incidents.AddExposuresAsync(incidentId, exposures, CancellationToken.None).GetAwaiter().GetResult();
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
