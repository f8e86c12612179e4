using BenchmarkDotNet.Running;

namespace MisSend.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        BenchSettings.Quick = args.Contains("--quick");
        var rest = args.Where(a => a != "--quick").ToArray();
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
