using System.Collections.Concurrent;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using MisSend.Core.Batches;
using MisSend.Core.Detection;

namespace MisSend.Benchmarks;

/// <summary>
/// The detector's scan (<c>BatchParser.Parse</c> + <c>LeakDetector.Scan</c>) against its floor, <c>JsonDocument.Parse</c>
/// of the same bytes plus a walk that reads every property name and every value: the work any inspection must do.
/// </summary>
[CpuJobsWithGen0Budget, MemoryDiagnoser, BodySizeColumns]
public class ScanBenchmarks
{
    private static readonly ConcurrentDictionary<string, byte[]> Bodies = new();

    /// <summary>
    /// clean-N: a payment guide per holder. replay-30x30: every guide bcc'd to the other 29. shifted-N: rows shifted by one.
    /// school-de-1000: German school reports (guardian, pupil, Latin names matched to addresses). copied-en-1000: one
    /// customer's bill copied into 1,000 personalizations (the official helper's shape). roster-ja-1000: clean guides with
    /// a pasted 200-row member list in the shared body.
    /// </summary>
    [Params("clean-100", "clean-1000", "replay-30x30", "shifted-100", "shifted-1000", "school-de-1000", "copied-en-1000", "roster-ja-1000")]
    public string Case { get; set; } = "clean-100";

    private byte[] _body = [];

    public static byte[] Body(string @case) => Bodies.GetOrAdd(@case, static c => c switch
    {
        "clean-100" => JapaneseBatches.Clean(100),
        "clean-1000" => JapaneseBatches.Clean(1000),
        "replay-30x30" => JapaneseBatches.Replay(30),
        "shifted-100" => JapaneseBatches.RowsShifted(100),
        "shifted-1000" => JapaneseBatches.RowsShifted(1000),
        "school-de-1000" => WildBatches.School(1000),
        "copied-en-1000" => WildBatches.Copied(1000),
        "roster-ja-1000" => WildBatches.WithRoster(1000, rows: 200),
        _ => throw new ArgumentException(c),
    });

    /// <summary>The verdict each case must reach: the benchmark measures the real decision, not a shortcut.</summary>
    public static string ExpectedDecision(string @case) =>
        @case.StartsWith("clean", StringComparison.Ordinal) || @case.StartsWith("school", StringComparison.Ordinal) ? "pass" : "halt";

    [GlobalSetup]
    public void Setup()
    {
        _body = Body(Case);
        var verdict = Scan();
        if (verdict.Decision != ExpectedDecision(Case))
        {
            throw new InvalidOperationException($"{Case}: expected {ExpectedDecision(Case)}, got {verdict.Decision}");
        }
    }

    [Benchmark(Baseline = true, Description = "Parse floor (JsonDocument + walk)")]
    public long ParseFloor() => ParseAndWalk(_body);

    [Benchmark(Description = "Scan (BatchParser + LeakDetector)")]
    public Verdict Scan() => LeakDetector.Scan(BatchParser.Parse(_body));

    public static long ParseAndWalk(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        return Walk(doc.RootElement);
    }

    /// <summary>Visits every element, materializing every property name and string value (the detector needs them as strings).</summary>
    private static long Walk(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                long sum = 1;
                foreach (var p in e.EnumerateObject())
                {
                    sum += p.Name.Length + Walk(p.Value);
                }

                return sum;
            case JsonValueKind.Array:
                long total = 1;
                foreach (var item in e.EnumerateArray())
                {
                    total += Walk(item);
                }

                return total;
            case JsonValueKind.String:
                return e.GetString()!.Length;
            case JsonValueKind.Number:
                return e.GetRawText().Length;
            default:
                return 1;
        }
    }
}
