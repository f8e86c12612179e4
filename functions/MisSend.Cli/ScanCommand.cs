using System.Text.Encodings.Web;
using System.Text.Json;
using MisSend.Core.Batches;
using MisSend.Core.Detection;

namespace MisSend.Cli;

/// <summary><c>detector scan FILE...</c>: exit 0 all pass, 1 a batch must halt, 2 a file is unreadable or not a batch.</summary>
public static class ScanCommand
{
    public const int ExitPass = 0;
    public const int ExitHalt = 1;
    public const int ExitError = 2;

    private static readonly JsonSerializerOptions JsonLine = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static int Run(IReadOnlyList<string> files, bool json, TextWriter output, TextWriter errors, int maxBodyBytes = BatchParser.DefaultMaxBodyBytes)
    {
        var exit = ExitPass;
        foreach (var file in files)
        {
            var result = ScanFile(file, maxBodyBytes);
            exit = Math.Max(exit, result.Verdict switch { "pass" => ExitPass, "halt" => ExitHalt, _ => ExitError });
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(result, JsonLine));
            }
            else
            {
                WriteSummary(result, result.Verdict == "error" ? errors : output);
            }
        }

        return exit;
    }

    public static ScanResult ScanFile(string file, int maxBodyBytes)
    {
        try
        {
            if (BatchFiles.Problem(file, maxBodyBytes) is { } problem)
            {
                return ScanResult.Failed(file, problem);
            }

            var batch = BatchParser.Parse(BatchFiles.ReadAllBytes(file), maxBodyBytes);
            var verdict = LeakDetector.Scan(batch);
            return new ScanResult(file, verdict.Decision,
                verdict.Findings.Select(f => new ScanFinding(f.Rule, f.Personalization, f.Detail, f.Categories.Select(c => c.Id()).ToArray(), f.People)).ToArray(),
                verdict.Personalizations, verdict.Recipients, null);
        }
        catch (BatchFormatException e)
        {
            return ScanResult.Failed(file, BatchFiles.Describe(e));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ScanResult.Failed(file, $"cannot read: {e.Message}");
        }
    }

    private static void WriteSummary(ScanResult r, TextWriter w)
    {
        switch (r.Verdict)
        {
            case "error":
                w.WriteLine($"{r.File}: ERROR {r.Error}");
                return;
            case "pass":
                w.WriteLine($"{r.File}: PASS  {r.Personalizations} personalizations, {r.Recipients} recipients, no leak found");
                return;
        }

        w.WriteLine($"{r.File}: HALT  {r.Personalizations} personalizations, {r.Recipients} recipients, {r.Findings.Count} findings");
        foreach (var group in r.Findings.GroupBy(f => f.Rule))
        {
            var first = group.First();
            var where = first.Personalization is { } p ? $"personalization {p}: " : "";
            var more = group.Count() > 1 ? $" (+{group.Count() - 1} more like it)" : "";
            w.WriteLine($"  {group.Key,-24} {where}{first.Detail}{more}");
        }
    }
}

public sealed record ScanFinding(string Rule, int? Personalization, string Detail, IReadOnlyList<string> Categories, int People);

public sealed record ScanResult(string File, string Verdict, IReadOnlyList<ScanFinding> Findings, int Personalizations, int Recipients, string? Error)
{
    public static ScanResult Failed(string file, string error) => new(file, "error", [], 0, 0, error);
}
