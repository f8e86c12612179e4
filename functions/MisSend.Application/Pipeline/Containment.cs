using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Core.Incidents;

namespace MisSend.Application.Pipeline;

/// <summary>
/// The hold window: every held chunk of a job carries the job's one SendGrid batch id, so one cancel stops them all
/// (SendGrid allows only 10 cancelled batches at a time). A halt requests the cancel; it is retried by the timer's
/// sweep until SendGrid confirms it or every held chunk is too close to its send_at, which then counts as sent.
/// </summary>
public sealed class Containment(
    IJobStore jobs,
    IIncidentStore incidents,
    IMailSender mail,
    IOptions<ReliabilityOptions> options,
    TimeProvider time,
    ILogger<Containment> logger)
{
    private readonly ReliabilityOptions _options = options.Value;

    /// <summary>
    /// Halts the job (every chunk checks this switch before its scan and again right before its send) and, when it holds
    /// chunks under a batch id, asks for their cancel. Returns the job's row; a job halted already is left as it is (its
    /// incident id is the first halt's if several race).
    /// </summary>
    public async Task<JobRecord> HaltJobAsync(string jobId, int chunkCount, string incidentId, IncidentSource by, DateTimeOffset at, CancellationToken ct)
    {
        while (true)
        {
            var job = await jobs.GetJobAsync(jobId, ct);
            var halted = job switch
            {
                null => await jobs.TryAddJobAsync(new JobRecord(jobId) { State = JobState.Halted, IncidentId = incidentId, ChunkCount = chunkCount, HaltedAt = at, HaltedBy = by }, ct),
                { State: JobState.Halted } => job,
                _ => await jobs.TryReplaceJobAsync(job with
                {
                    State = JobState.Halted,
                    IncidentId = incidentId,
                    HaltedAt = at,
                    HaltedBy = by,
                    Cancel = job.BatchId is null ? CancelState.None : CancelState.Requested,
                }, ct),
            };
            if (halted is not null)
            {
                return halted;
            }
        }
    }

    /// <summary>The job's batch id, created on first use; null when the job is halted (the chunk must not go out).</summary>
    public async Task<string?> EnsureBatchIdAsync(string jobId, int chunkCount, bool releaseHaltedJob, CancellationToken ct)
    {
        string? created = null;
        while (true)
        {
            var job = await jobs.GetJobAsync(jobId, ct);
            if (job?.State == JobState.Halted && !releaseHaltedJob)
            {
                return null;
            }

            if (job?.BatchId is { } existing)
            {
                return existing;
            }

            created ??= await mail.CreateBatchIdAsync(ct)
                ?? throw new SendNotAcceptedException(jobId, 0, null, "SendGrid gave no batch id for the hold window");
            var saved = job is null
                ? await jobs.TryAddJobAsync(new JobRecord(jobId) { ChunkCount = chunkCount, BatchId = created }, ct)
                : await jobs.TryReplaceJobAsync(job with { BatchId = created }, ct);
            if (saved is not null)
            {
                return created;
            }

            // Another chunk wrote the job row first; its batch id (if it made one) wins and ours goes unused.
        }
    }

    /// <summary>A held chunk was accepted after its job was halted: the job's cancel must cover it.</summary>
    public async Task AfterHeldSendAsync(string jobId, CancellationToken ct)
    {
        var job = await jobs.GetJobAsync(jobId, ct);
        if (job is not { State: JobState.Halted, BatchId: not null })
        {
            return;
        }

        if (job.Cancel is CancelState.Done or CancelState.TooLate)
        {
            // SendGrid discards every message of a cancelled batch at its send_at, this one too.
            await SettleHeldChunksAsync(job, cancelled: job.Cancel == CancelState.Done, ct);
            return;
        }

        if (job.Cancel == CancelState.None && await jobs.TryReplaceJobAsync(job with { Cancel = CancelState.Requested }, ct) is null)
        {
            return; // someone else changed the job: they see the halt too
        }

        await CancelAsync(jobId, ct);
    }

    /// <summary>Asks SendGrid to cancel the job's held chunks, if a cancel is wanted and due. A failure is retried by the sweep.</summary>
    public async Task CancelAsync(string jobId, CancellationToken ct)
    {
        var flag = new AttentionFlag(jobId, AttentionFlag.Job);
        var job = await jobs.GetJobAsync(jobId, ct);
        if (job is not { Cancel: CancelState.Requested, BatchId: { } batchId })
        {
            await jobs.UnflagAsync(flag, ct);
            return;
        }

        var now = time.GetUtcNow();
        if (job.NextCancelAt > now)
        {
            return;
        }

        var result = await mail.CancelScheduledAsync(batchId, ct);
        if (result.Outcome == MailOutcome.Accepted)
        {
            var done = await jobs.TryReplaceJobAsync(job with { Cancel = CancelState.Done, CancelledAt = now, CancelError = null, NextCancelAt = null }, ct);
            if (done is null)
            {
                return; // changed meanwhile; the sweep comes back
            }

            await SettleHeldChunksAsync(done, cancelled: true, ct);
            await RecordAsync(job, IncidentEventKind.CancelDone, null, "SendGrid cancelled the job's scheduled sends", ct);
            await jobs.UnflagAsync(flag, ct);
            logger.LogInformation("Job {JobId}: scheduled sends cancelled", jobId);
            return;
        }

        var held = await HeldAsync(jobId, ct);
        var tooLate = held.All(c => c.SendAt!.Value - now <= _options.CancelMargin);
        var failed = job with
        {
            Cancel = tooLate ? CancelState.TooLate : CancelState.Requested,
            CancelAttempts = job.CancelAttempts + 1,
            NextCancelAt = tooLate ? null : now + _options.Backoff(job.CancelAttempts),
            CancelError = result.ToString(),
        };
        if (await jobs.TryReplaceJobAsync(failed, ct) is not { } saved)
        {
            return;
        }

        if (job.CancelAttempts == 0)
        {
            await RecordAsync(job, IncidentEventKind.CancelFailed, null, $"SendGrid did not confirm the cancel ({result}); retried", ct);
        }

        if (tooLate)
        {
            await SettleHeldChunksAsync(saved, cancelled: false, ct);
            await jobs.UnflagAsync(flag, ct);
        }
        else
        {
            await jobs.FlagAsync(flag, ct);
        }

        logger.LogWarning("Job {JobId}: cancel of its scheduled sends failed ({Result}); {Next}", jobId, result,
            tooLate ? "too late now: the held chunks count as sent" : "retried by the sweep");
    }

    /// <summary>After a cancel (or after it became too late): each held chunk is cancelled if its send_at was far enough, else it went out.</summary>
    private async Task SettleHeldChunksAsync(JobRecord job, bool cancelled, CancellationToken ct)
    {
        var at = job.CancelledAt ?? time.GetUtcNow();
        foreach (var chunk in await HeldAsync(job.JobId, ct))
        {
            if (cancelled && chunk.SendAt!.Value - at > _options.CancelMargin)
            {
                if (await jobs.TryReplaceChunkAsync(chunk with { State = ChunkState.Cancelled, LeaseUntil = null, Reason = "scheduled send cancelled after the job was halted" }, ct) is not null)
                {
                    await jobs.UnflagAsync(new AttentionFlag(job.JobId, chunk.Chunk), ct);
                }
            }
            else if (chunk.Reason != TooLateReason
                && await jobs.TryReplaceChunkAsync(chunk with { Reason = TooLateReason }, ct) is not null)
            {
                await RecordAsync(job, IncidentEventKind.CancelTooLate, chunk.Chunk,
                    $"chunk {chunk.Chunk} was too close to its send_at to cancel: it counts as sent", ct);
            }
        }
    }

    private const string TooLateReason = "too close to send_at to cancel: counts as sent";

    /// <summary>Chunks SendGrid holds (or may hold) with the job's batch id.</summary>
    private async Task<List<ChunkRecord>> HeldAsync(string jobId, CancellationToken ct) =>
        (await jobs.ListChunksAsync(jobId, ct))
            .Where(c => c.SendAt is not null && c.State is ChunkState.Sent or ChunkState.Unknown or ChunkState.Sending)
            .ToList();

    private async Task RecordAsync(JobRecord job, IncidentEventKind kind, int? chunk, string detail, CancellationToken ct)
    {
        if (job.IncidentId is { } incidentId)
        {
            await incidents.AppendEventAsync(new IncidentEvent(incidentId, time.GetUtcNow(), kind, OperatorAction.Detector.Who, detail, chunk), ct);
        }
    }
}
