using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;

namespace MisSend.Benchmarks;

/// <summary>
/// What inspection costs end to end: a clean job of 20 envelope chunks × 200 personalizations, processed one chunk after
/// the other, through <see cref="BatchInspector.HandleAsync"/> (parse, claim, kept body, scan, delivery intent and
/// recipient claims, halt re-check, attempt record, send, sent record; all on Azurite and the SendGrid stand-in) versus a pass-through that only parses the message and
/// sends the mail through the same <see cref="IMailSender"/>. Each iteration is a new job on fresh tables.
/// </summary>
[IoJob, MemoryDiagnoser]
public class PipelineBenchmarks
{
    public const int Chunks = 20;
    public const int PerChunk = 200;

    private World _world = null!;
    private ServiceProvider _services = null!;
    private string[] _messages = [];

    [GlobalSetup]
    public async Task GlobalSetup() => _world = await World.StartAsync();

    [GlobalCleanup]
    public async Task GlobalCleanup() => await _world.DisposeAsync();

    [IterationSetup]
    public void IterationSetup()
    {
        _services = _world.NewServices();
        var jobId = "bench-" + Guid.NewGuid().ToString("N")[..12];
        _messages = JapaneseBatches.Job(jobId, Chunks, PerChunk).Select(JapaneseBatches.Text).ToArray();

        // One warm request per provider, so neither side pays for the first connection to the stand-in.
        _services.GetRequiredService<IMailSender>().SendAsync("{\"personalizations\":[]}", CancellationToken.None).GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void IterationCleanup() => World.DropAsync(_services).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Pass-through (parse + send)")]
    public async Task<int> PassThrough()
    {
        var sender = _services.GetRequiredService<IMailSender>();
        foreach (var message in _messages)
        {
            string mail;
            using (var doc = JsonDocument.Parse(message))
            {
                mail = doc.RootElement.GetProperty("mail").GetRawText();
            }

            await sender.SendAsync(mail, CancellationToken.None);
        }

        return _messages.Length;
    }

    [Benchmark(Description = "BatchInspector (inspection on)")]
    public async Task<int> Inspected()
    {
        var handler = _services.GetRequiredService<BatchInspector>();
        var sent = 0;
        for (var i = 0; i < _messages.Length; i++)
        {
            var result = await handler.HandleAsync(_messages[i], $"msg-{i}", CancellationToken.None);
            if (result.Outcome != InspectionOutcome.Sent)
            {
                throw new InvalidOperationException($"chunk {i + 1}: expected Sent, got {result.Outcome} {result.Reason}");
            }

            sent++;
        }

        return sent;
    }
}
