using System.Text.Encodings.Web;
using System.Text.Json;
using MisSend.Core.Batches;
using MisSend.Core.Detection;

namespace MisSend.Cli;

/// <summary>
/// <c>detector scan FILE... [--job ID]</c>: exit 0 all pass, 1 a batch must halt, 2 a file is unreadable or not a batch.
/// Files of one job (the same envelope <c>jobId</c>, or every file with <c>--job</c>) are judged together, in chunk
/// order, as the pipeline judges them: a chunk also halts when it contradicts what earlier chunks delivered.
/// </summary>
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

    public static int Run(IReadOnlyList<string> files, bool json, TextWriter output, TextWriter errors, int maxBodyBytes = BatchParser.DefaultMaxBodyBytes,
        string? job = null)
    {
        var exit = ExitPass;
        foreach (var result in ScanFiles(files, maxBodyBytes, job))
        {
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

    /// <summary>Every file's result, in the order given; files of one job judged together.</summary>
    /// <param name="job">Treat every file as a chunk of this job, in the order given (bare bodies have no job of their own).</param>
    public static IReadOnlyList<ScanResult> ScanFiles(IReadOnlyList<string> files, int maxBodyBytes = BatchParser.DefaultMaxBodyBytes, string? job = null)
    {
        var results = new ScanResult?[files.Count];
        var parsed = new List<(int Index, OutboundBatch Batch)>();
        for (var i = 0; i < files.Count; i++)
        {
            var read = Read(files[i], maxBodyBytes);
            if (read.Error is not null)
            {
                results[i] = ScanResult.Failed(files[i], read.Error);
                continue;
            }

            var batch = read.Batch!;
            parsed.Add((i, job is null ? batch : batch with { JobId = job, Chunk = batch.IsEnvelope ? batch.Chunk : parsed.Count + 1, ChunkCount = Math.Max(batch.ChunkCount, files.Count) }));
        }

        foreach (var group in parsed.GroupBy(p => p.Batch.JobId ?? $"#file{p.Index}"))
        {
            // By reference: two files with identical bodies are two chunks.
            var index = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
            foreach (var p in group)
            {
                index[p.Batch] = p.Index;
            }

            foreach (var chunk in JobScan.Judge(group.Select(p => p.Batch)))
            {
                var i = index[chunk.Batch];
                results[i] = ScanResult.Of(files[i], chunk);
            }
        }

        return results.Select(r => r!).ToList();
    }

    /// <summary>Reads and parses one file; the error is safe to show (it never quotes personal data).</summary>
    public static (OutboundBatch? Batch, string? Error) Read(string file, int maxBodyBytes)
    {
        try
        {
            if (BatchFiles.Problem(file, maxBodyBytes) is { } problem)
            {
                return (null, problem);
            }

            return (BatchParser.Parse(BatchFiles.ReadAllBytes(file), maxBodyBytes), null);
        }
        catch (BatchFormatException e)
        {
            return (null, BatchFiles.Describe(e));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read: {e.Message}");
        }
    }

    private static void WriteSummary(ScanResult r, TextWriter w)
    {
        var job = r.Job is null ? "" : $"  (job {r.Job}, chunk {r.Chunk}/{r.ChunkCount}{(r.HaltedAtChunk is { } h ? $"; the job halted at chunk {h}, so the pipeline would hold this one" : "")})";
        switch (r.Verdict)
        {
            case "error":
                w.WriteLine($"{r.File}: ERROR {r.Error}");
                return;
            case "pass":
                w.WriteLine($"{r.File}: PASS  {r.Personalizations} personalizations, {r.Recipients} recipients, no leak found{job}");
                return;
        }

        w.WriteLine($"{r.File}: HALT  {r.Personalizations} personalizations, {r.Recipients} recipients, {r.Findings.Count} findings{job}");
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

/// <param name="Job">The job the file was judged with, when it is a chunk of one.</param>
/// <param name="HaltedAtChunk">An earlier chunk that halted the job: the pipeline would hold this chunk whatever its verdict.</param>
public sealed record ScanResult(string File, string Verdict, IReadOnlyList<ScanFinding> Findings, int Personalizations, int Recipients, string? Error,
    string? Job = null, int? Chunk = null, int? ChunkCount = null, int? HaltedAtChunk = null)
{
    public static ScanResult Failed(string file, string error) => new(file, "error", [], 0, 0, error);

    public static ScanResult Of(string file, ChunkVerdict chunk) => new(file, chunk.Decision,
        chunk.Findings.Select(f => new ScanFinding(f.Rule, f.Personalization, f.Detail, f.Categories.Select(c => c.Id()).ToArray(), f.People)).ToArray(),
        chunk.Verdict.Personalizations, chunk.Verdict.Recipients, null,
        chunk.Batch.JobId, chunk.Batch.JobId is null ? null : chunk.Batch.Chunk, chunk.Batch.JobId is null ? null : chunk.Batch.ChunkCount, chunk.HaltedEarlier);
}
