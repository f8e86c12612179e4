using Microsoft.Extensions.Logging;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Application.Ports;

namespace MisSend.Application.Pipeline;

/// <summary>
/// The pipeline's part of the timer tick: every flagged chunk is reconciled or finished, every wanted cancel retried,
/// every recipient's report not yet acted on acted on (the job paused within a minute even if its request's worker died).
/// A failure on one flag is logged and left for the next tick; it never stops the others or the notices.
/// </summary>
public sealed class PipelineSweep(IJobStore jobs, ChunkPipeline pipeline, Containment containment, NotMineService reports, ILogger<PipelineSweep> logger)
{
    /// <summary>Returns how many flags are still open after this pass.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        foreach (var flag in await jobs.ListFlagsAsync(ct))
        {
            try
            {
                if (flag.Chunk == AttentionFlag.Reports)
                {
                    await reports.ActAsync(flag.JobId, ct);
                }
                else if (flag.Chunk == AttentionFlag.Job)
                {
                    await containment.CancelAsync(flag.JobId, ct);
                }
                else
                {
                    await pipeline.ResolveAsync(flag.JobId, flag.Chunk, ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Sweep: job {JobId} chunk {Chunk} left for the next tick: {Error}", flag.JobId, flag.Chunk, e.Message);
            }
        }

        return (await jobs.ListFlagsAsync(ct)).Count;
    }
}
