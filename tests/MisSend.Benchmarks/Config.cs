using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MisSend.Benchmarks;

public static class BenchSettings
{
    /// <summary>Set by <c>--quick</c>: fewer iterations everywhere (a smoke run, not for the figures in docs/benchmarks.md).</summary>
    public static bool Quick { get; set; }

    /// <summary>In-process CPU work: one launch, a few warm-ups, 12 measured iterations (3 with --quick).</summary>
    public static Job CpuJob => Quick
        ? Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(3)
        : Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(12);
}

/// <summary>In-process CPU work (parse, scan): one launch, a few warm-ups, 12 measured iterations (3 with --quick).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CpuJobAttribute() : JobConfigBaseAttribute(BenchSettings.CpuJob.WithId(BenchSettings.Quick ? "Quick" : "Cpu"));

/// <summary>
/// The CPU job twice, side by side: the runtime's default GC, and a 64 MB Gen0 budget (<see cref="Gen0Budget"/>), to see
/// whether the GC share of a scan is worth a runtime setting. Measured 2026-11-29 (docs/benchmarks.md): no consistent
/// gain, so the function app does not set it.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CpuJobsWithGen0BudgetAttribute : Attribute, IConfigSource
{
    /// <summary>64 MB, as the DOTNET_GCgen0size environment variable takes it.</summary>
    public const string Gen0Budget = "0x4000000";

    public IConfig Config { get; } = ManualConfig.CreateEmpty()
        .AddJob(BenchSettings.CpuJob.WithId("Cpu-default-GC"))
        .AddJob(BenchSettings.CpuJob.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_GCgen0size", Gen0Budget)).WithId("Cpu-gen0-64MB"));
}

/// <summary>
/// I/O-heavy work against Azurite and the SendGrid stand-in: each iteration is one run of the whole workload on fresh
/// tables (IterationSetup), 1 warm-up and 3 measured iterations (1 and 2 with --quick).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class IoJobAttribute() : JobConfigBaseAttribute(BenchSettings.Quick
    ? Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(2).WithInvocationCount(1).WithUnrollFactor(1).WithId("IoQuick")
    : Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1).WithId("Io"));

/// <summary>Size of the UTF-8 body the case scans, and allocations per operation as a multiple of it.</summary>
public sealed class BodySizeColumn(bool ratio) : IColumn
{
    public string Id => ratio ? "AllocPerBody" : "BodyKB";
    public string ColumnName => ratio ? "Alloc/Body" : "Body KB";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => ratio ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => ratio ? "Bytes allocated per operation divided by the body's size" : "Size of the UTF-8 JSON body in KB (1024 bytes)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var size = BodyBytes(benchmarkCase);
        if (size is null)
        {
            return "-";
        }

        if (!ratio)
        {
            return (size.Value / 1024.0).ToString("N1");
        }

        var report = summary[benchmarkCase];
        if (report?.GcStats is not { } gc || report.ResultStatistics is null)
        {
            return "-";
        }

        var bytes = gc.GetBytesAllocatedPerOperation(benchmarkCase);
        return bytes is null ? "-" : (bytes.Value / (double)size.Value).ToString("N2");
    }

    private static long? BodyBytes(BenchmarkCase benchmarkCase)
    {
        foreach (var p in benchmarkCase.Parameters.Items)
        {
            if (p.Name == nameof(ScanBenchmarks.Case) && p.Value is string c)
            {
                return ScanBenchmarks.Body(c).LongLength;
            }

            if (p.Name == nameof(NaiveComparisonBenchmarks.N) && p.Value is int n)
            {
                return JapaneseBatches.Clean(n).LongLength;
            }
        }

        return null;
    }
}

/// <summary>Mean time divided by the number of personalizations: flat when growth is linear.</summary>
public sealed class PerPersonalizationColumn : IColumn
{
    public string Id => "PerPersonalization";
    public string ColumnName => "Mean/personalization";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 2;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Time;
    public string Legend => "Mean divided by the number of personalizations (N)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var n = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(NaiveComparisonBenchmarks.N))?.Value as int?;
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return n is null || mean is null ? "-" : $"{mean.Value / n.Value / 1000.0:N2} μs";
    }
}

/// <summary>Adds the custom columns to a benchmark class.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BodySizeColumnsAttribute() : ColumnConfigBaseAttribute(new BodySizeColumn(false), new BodySizeColumn(true));

[AttributeUsage(AttributeTargets.Class)]
public sealed class PerPersonalizationColumnAttribute() : ColumnConfigBaseAttribute(new PerPersonalizationColumn());
