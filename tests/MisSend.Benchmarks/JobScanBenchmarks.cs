using BenchmarkDotNet.Attributes;
using MisSend.Core.Batches;
using MisSend.Core.Detection;

namespace MisSend.Benchmarks;

/// <summary>A 100,000-recipient job: 100 envelope chunks of 1,000 personalizations, each parsed and scanned in-process, one after the other.</summary>
[CpuJob, MemoryDiagnoser]
public class JobScanBenchmarks
{
    public const int Chunks = 100;
    public const int PerChunk = 1000;

    private byte[][] _chunks = [];

    [GlobalSetup]
    public void Setup()
    {
        _chunks = JapaneseBatches.Job("reds-2027-renewal-100k", Chunks, PerChunk);
        if (ScanAll() != Chunks * PerChunk)
        {
            throw new InvalidOperationException("every chunk of the clean job must pass with 1,000 recipients");
        }
    }

    [Benchmark(Description = "Scan 100 chunks × 1,000 (100,000 recipients)")]
    public int ScanAll()
    {
        var passed = 0;
        foreach (var chunk in _chunks)
        {
            var verdict = LeakDetector.Scan(BatchParser.Parse(chunk));
            if (verdict.Decision == "pass")
            {
                passed += verdict.Recipients;
            }
        }

        return passed;
    }
}
