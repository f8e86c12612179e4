using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MisSend.Azure.Queueing;
using MisSend.Azure.Storage;
using MisSend.Cli.Hosting;
using MisSend.Core.Batches;

namespace MisSend.Cli;

/// <summary>
/// <c>detector enqueue FILE... [--job ID] [--chunk-size N]</c>: puts batches on the outbound queue the way a sender's
/// batch builder does, through the product's <see cref="BatchQueueClient"/> (a claim-check blob when a body is too big
/// for a queue message). With <c>--job</c> the files become the chunks of one job, in the order given; with
/// <c>--chunk-size</c> each body is split into envelopes of at most N personalizations.
/// </summary>
public static class EnqueueCommand
{
    public sealed record Chunk(string File, JsonObject Message);

    private static readonly System.Text.Json.JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(IReadOnlyList<string> files, string? jobId, int? chunkSize, string? storage, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var (chunks, problems) = Plan(files, jobId, chunkSize, BatchParser.DefaultMaxBodyBytes);
        foreach (var problem in problems)
        {
            errors.WriteLine(problem);
        }

        if (problems.Count > 0)
        {
            errors.WriteLine("nothing was queued");
            return ExitCodes.InvalidInput;
        }

        await using var local = await LocalStorage.OpenAsync(storage, errors.WriteLine, ct);
        await using var services = LocalServices.Build(OperatorCommands.Settings(local.ConnectionString), outbox: "outbox");
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        var queue = services.GetRequiredService<BatchQueueClient>();
        foreach (var chunk in chunks)
        {
            var byBlob = await queue.EnqueueAsync(chunk.Message.ToJsonString(Json), ct);
            var envelope = chunk.Message["mail"] is not null
                ? $"job {chunk.Message["jobId"]} chunk {chunk.Message["chunk"]}/{chunk.Message["chunkCount"]}"
                : "a bare SendGrid body (its own job)";
            output.WriteLine($"queued {chunk.File} as {envelope}{(byBlob ? ", by claim-check blob" : "")}");
        }

        output.WriteLine($"{chunks.Count} messages on queue '{services.GetRequiredService<IOptions<Azure.Configuration.PipelineOptions>>().Value.OutboundQueue}'{(local.Started ? "; 'detector run' inspects them" : "")}.");
        return ExitCodes.Pass;
    }

    /// <summary>The messages to queue, in order, or the problems that stop everything from being queued.</summary>
    public static (List<Chunk> Chunks, List<string> Problems) Plan(IReadOnlyList<string> files, string? jobId, int? chunkSize, int maxBytes)
    {
        var problems = new List<string>();
        var parts = new List<(string File, JsonObject Mail, JsonNode? Policy, string? OwnJob)>();
        foreach (var file in files)
        {
            if (BatchFiles.Problem(file, maxBytes) is { } problem)
            {
                problems.Add($"{file}: {problem}");
                continue;
            }

            var bytes = BatchFiles.ReadAllBytes(file);
            try
            {
                var batch = BatchParser.Parse(bytes, maxBytes);
                var root = JsonNode.Parse(bytes)!.AsObject();
                var mail = root["mail"] is JsonObject inner ? inner : root;
                var policy = root["policy"]?.DeepClone();
                foreach (var slice in Split(mail, chunkSize))
                {
                    parts.Add((file, slice, policy, batch.JobId));
                }
            }
            catch (BatchFormatException e)
            {
                problems.Add($"{file}: {BatchFiles.Describe(e)}");
            }
        }

        if (problems.Count > 0)
        {
            return ([], problems);
        }

        // Without --job and --chunk-size every file goes as it is; otherwise the parts are the chunks of one job.
        if (jobId is null && chunkSize is null)
        {
            return (files.Select(f => new Chunk(f, JsonNode.Parse(BatchFiles.ReadAllBytes(f))!.AsObject())).ToList(), problems);
        }

        var job = jobId ?? parts.Select(p => p.OwnJob).FirstOrDefault(j => j is not null) ?? $"job-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}";
        if (Application.Inputs.JobIds.Problem(job) is { } bad)
        {
            return ([], [$"--job: {bad}"]);
        }

        var chunks = parts.Select((p, i) =>
        {
            var envelope = new JsonObject { ["jobId"] = job, ["chunk"] = i + 1, ["chunkCount"] = parts.Count, ["mail"] = p.Mail };
            if (p.Policy is not null)
            {
                envelope["policy"] = p.Policy.DeepClone();
            }

            return new Chunk(p.File, envelope);
        }).ToList();
        return (chunks, problems);
    }

    /// <summary>The body as is, or one copy per N personalizations (everything else shared, as SendGrid's own chunking advice says).</summary>
    private static IEnumerable<JsonObject> Split(JsonObject mail, int? size)
    {
        var personalizations = mail["personalizations"]!.AsArray();
        if (size is null || personalizations.Count <= size)
        {
            yield return mail.DeepClone().AsObject();
            yield break;
        }

        foreach (var slice in personalizations.Chunk(size.Value))
        {
            var copy = mail.DeepClone().AsObject();
            copy["personalizations"] = new JsonArray(slice.Select(p => p?.DeepClone()).ToArray());
            yield return copy;
        }
    }
}
