using System.Diagnostics;

namespace MisSend.Cli.Tests;

/// <summary>The built <c>detector</c> run as a person runs it: a process in the repository, its exit code and both streams.</summary>
public static class Detector
{
    public sealed record Run(int Exit, string Output, string Errors)
    {
        public string All => Output + Errors;
    }

    public static Task<Run> RunInAsync(string workingDirectory, params string[] args) => RunWithAsync(workingDirectory, new Dictionary<string, string>(), args);

    /// <param name="environment">Settings for this process only, as a person would export them.</param>
    public static async Task<Run> RunWithAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "detector.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The machine's own settings must not decide what the command reaches.
        start.Environment.Remove("AzureWebJobsStorage");
        start.Environment.Remove("SendGrid__ApiKey");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Run(process.ExitCode, await output, await errors);
    }

    public static Task<Run> RunAsync(params string[] args) => RunInAsync(Repository.Root, args);

    /// <summary>A .NET stack trace line ("   at Namespace.Type.Method(…)") or an exception dump.</summary>
    public static bool HasStackTrace(string text) =>
        text.Split('\n').Any(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) && l.Contains('(')) || text.Contains("--- End of", StringComparison.Ordinal);
}
