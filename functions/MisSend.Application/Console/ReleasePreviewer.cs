using MisSend.Core;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.Core.Batches;
using MisSend.Core.Detection;

namespace MisSend.Application.Console;

/// <summary>What a release would find now. <see cref="Error"/> set: the chunk cannot be released at all.</summary>
public sealed record ReleasePreview(string JobId, int Chunk, bool Passes, IReadOnlyList<Finding> Findings, int Personalizations, int Recipients, bool JobHalted, string? Error = null)
{
    public static ReleasePreview Refused(string jobId, int chunk, string error) => new(jobId, chunk, false, [], 0, 0, false, error);
}

/// <summary>
/// Re-inspects a quarantined chunk without sending or writing anything, so the officer sees the result before deciding:
/// the same scan with the job's kept policy plus the operator's, and the cross-chunk check against what the job's
/// other chunks delivered. The release itself inspects again (<see cref="Incidents.IncidentService.ReleaseAsync"/>).
/// </summary>
public sealed class ReleasePreviewer(IJobStore jobs, IExposureLedger ledger, IBodyStore bodies)
{
    public async Task<ReleasePreview> PreviewAsync(string jobId, int chunkNumber, BatchPolicy? operatorPolicy, CancellationToken ct)
    {
        if (Inputs.JobIds.Problem(jobId) is { } problem)
        {
            return ReleasePreview.Refused(jobId, chunkNumber, problem);
        }

        var chunk = await jobs.GetChunkAsync(jobId, chunkNumber, ct);
        if (chunk?.State != ChunkState.Quarantined)
        {
            return ReleasePreview.Refused(jobId, chunkNumber, chunk is null ? $"no chunk {chunkNumber} of job '{jobId}'" : $"chunk {chunkNumber} of job '{jobId}' is {StoredName.Of(chunk.State)}, not quarantined");
        }

        if (await bodies.ReadKeptAsync(jobId, chunkNumber, ct) is not { } kept)
        {
            return ReleasePreview.Refused(jobId, chunkNumber, "the quarantined body is missing");
        }

        var batch = BatchParser.Parse(kept);
        var verdict = LeakDetector.Scan(batch.Mail, new ChunkRun(null, operatorPolicy, true).PolicyFor(batch.Policy));
        var findings = verdict.Findings;
        if (!verdict.Halt)
        {
            var unsent = (await jobs.ListChunksAsync(jobId, ct)).Where(c => c.State.Unsent()).Select(c => c.Chunk).ToHashSet();
            var recipients = verdict.Deliveries.Select(d => d.Recipient).ToHashSet(StringComparer.Ordinal);
            var earlier = (await ledger.DeliveriesAsync(jobId, ct))
                .Where(d => d.Chunk != chunkNumber && !unsent.Contains(d.Chunk) && recipients.Contains(d.Recipient))
                .ToList();
            findings = CrossChunkCheck.Judge(chunkNumber, verdict, earlier).Findings;
        }

        var job = await jobs.GetJobAsync(jobId, ct);
        return new ReleasePreview(jobId, chunkNumber, findings.Count == 0, findings, verdict.Personalizations, verdict.Recipients, job?.State == JobState.Halted);
    }
}
