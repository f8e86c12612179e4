using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Incidents;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Core;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;

namespace MisSend.Application.Pipeline;

/// <summary>
/// The one send path of a chunk, for the queue trigger, an operator's release and the timer's sweep alike:
/// claim ▶ keep the body ▶ halt check ▶ scan ▶ record intent in the ledger ▶ cross-chunk check ▶ halt re-check ▶
/// record the attempt ▶ SendGrid ▶ record the answer. Every step is a conditional write, so any number of workers
/// may run it, and a worker that dies anywhere leaves a state the next delivery or the sweep can finish.
/// </summary>
public sealed class ChunkPipeline(
    IJobStore jobs,
    IExposureLedger ledger,
    IIncidentStore incidents,
    IBodyStore bodies,
    IMailSender mail,
    Containment containment,
    IncidentRecorder recorder,
    NotMineLinks notMineLinks,
    IOptions<ReliabilityOptions> options,
    TimeProvider time,
    ILogger<ChunkPipeline> logger)
{
    /// <summary>Attempts the sweep makes at a chunk SendGrid keeps refusing before it is marked failed (the queue's own maxDequeueCount).</summary>
    private const int MaxUnattendedAttempts = 5;

    private readonly ReliabilityOptions _options = options.Value;

    /// <summary>A queue message's chunk. <paramref name="message"/> is the message as received (the claim-check body resolved).</summary>
    public async Task<InspectionResult> ProcessAsync(OutboundBatch batch, string jobId, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        var fingerprint = Keys.Fingerprint(message.Span);
        var now = time.GetUtcNow();
        var claimed = await jobs.TryAddChunkAsync(new ChunkRecord(jobId, batch.Chunk)
        {
            Fingerprint = fingerprint,
            LeaseUntil = now + _options.ChunkLease,
        }, ct);
        if (claimed is not null)
        {
            return await RunAsync(claimed, batch, message, ChunkRun.Queue, ct);
        }

        var existing = await jobs.GetChunkAsync(jobId, batch.Chunk, ct) ?? throw new ChunkBusyException(jobId, batch.Chunk);
        if (existing.Fingerprint != fingerprint)
        {
            var reason = $"jobId \"{jobId}\" chunk {batch.Chunk} already holds another batch ({StoredName.Of(existing.State)}"
                + $"{(existing.SentAt is { } sent ? $", sent {sent:yyyy-MM-dd HH:mm} UTC" : "")}): a job id names one send; give this batch a new jobId";
            logger.LogError("Job {JobId} chunk {Chunk}: a different batch under a job id already used; rejected", jobId, batch.Chunk);
            return new InspectionResult(InspectionOutcome.Rejected, jobId, batch.Chunk, Reason: reason);
        }

        return existing.State switch
        {
            ChunkState.Claimed or ChunkState.Sending when existing.LeaseUntil > now => throw new ChunkBusyException(jobId, batch.Chunk),
            ChunkState.Claimed or ChunkState.NotSent or ChunkState.Failed => await TakeOverAsync(existing, batch, message, ChunkRun.Queue, ct),
            ChunkState.Sending or ChunkState.Unknown => await ReconcileAsync(existing, () => Task.FromResult<(OutboundBatch, ReadOnlyMemory<byte>)?>((batch, message)), ct),
            _ => Duplicate(existing),
        };
    }

    /// <summary>An operator releases a quarantined chunk: the same path, with the job's kept policy (plus the operator's) and the ledger check.</summary>
    public async Task<InspectionResult> ReleaseAsync(ChunkRecord quarantined, OutboundBatch batch, ReadOnlyMemory<byte> message, ChunkRun run, CancellationToken ct) =>
        await TakeOverAsync(quarantined, batch, message, run, ct);

    /// <summary>The sweep's work on a flagged chunk: reconcile it, or finish what a dead worker left.</summary>
    public async Task ResolveAsync(string jobId, int chunkNumber, CancellationToken ct)
    {
        var flag = new AttentionFlag(jobId, chunkNumber);
        var chunk = await jobs.GetChunkAsync(jobId, chunkNumber, ct);
        var now = time.GetUtcNow();
        switch (chunk)
        {
            case null:
                await jobs.UnflagAsync(flag, ct);
                return;
            case { State: ChunkState.Claimed or ChunkState.Sending } when chunk.LeaseUntil > now:
            case { State: ChunkState.Unknown } when chunk.NextCheckAt is null || chunk.NextCheckAt > now:
                return;
            case { State: ChunkState.Sending or ChunkState.Unknown }:
                await ReconcileAsync(chunk, () => KeptBatchAsync(chunk, ct), ct);
                return;
            case { State: ChunkState.Claimed }:
                // Its worker stopped before asking SendGrid anything: nothing went out, so it runs again from its kept body.
                if (await KeptBatchAsync(chunk, ct) is var (batch, message))
                {
                    await TakeOverAsync(chunk, batch, message, ChunkRun.Sweep, ct);
                }
                else
                {
                    await FailAsync(chunk, "its worker stopped before keeping its body, and its message failed every attempt", ct);
                }

                return;
            case { State: ChunkState.NotSent } when chunk.Attempts < MaxUnattendedAttempts && await KeptBatchAsync(chunk, ct) is var (resend, kept):
                await TakeOverAsync(chunk, resend, kept, ChunkRun.Sweep, ct);
                return;
            case { State: ChunkState.NotSent }:
                await FailAsync(chunk, $"SendGrid did not accept it on any attempt ({chunk.Reason})", ct);
                return;
            default:
                await jobs.UnflagAsync(flag, ct);
                return;
        }
    }

    /// <summary>A chunk whose message went to the poison queue: left visible, never silently gone.</summary>
    public async Task RecordPoisonedAsync(OutboundBatch batch, string jobId, ReadOnlyMemory<byte> message, string setAsideAs, CancellationToken ct)
    {
        var reason = $"its message failed every attempt and was set aside as {setAsideAs}";
        var chunk = await jobs.GetChunkAsync(jobId, batch.Chunk, ct)
            ?? await jobs.TryAddChunkAsync(new ChunkRecord(jobId, batch.Chunk) { State = ChunkState.Failed, Fingerprint = Keys.Fingerprint(message.Span), Reason = "not sent: " + reason }, ct);
        switch (chunk?.State)
        {
            case ChunkState.Claimed or ChunkState.Sending or ChunkState.Unknown:
                await jobs.FlagAsync(new AttentionFlag(jobId, batch.Chunk), ct); // the sweep settles it from its kept body
                break;
            case ChunkState.NotSent:
                await FailAsync(chunk, reason, ct);
                break;
        }
    }

    private async Task<InspectionResult> TakeOverAsync(ChunkRecord chunk, OutboundBatch batch, ReadOnlyMemory<byte> message, ChunkRun run, CancellationToken ct)
    {
        var mine = await jobs.TryReplaceChunkAsync(chunk with
        {
            State = ChunkState.Claimed,
            LeaseUntil = time.GetUtcNow() + _options.ChunkLease,
            Checks = 0,
            NextCheckAt = null,
        }, ct) ?? throw new ChunkBusyException(chunk.JobId, chunk.Chunk);
        return await RunAsync(mine, batch, message, run, ct);
    }

    private async Task<InspectionResult> RunAsync(ChunkRecord mine, OutboundBatch batch, ReadOnlyMemory<byte> message, ChunkRun run, CancellationToken ct)
    {
        var jobId = mine.JobId;
        await bodies.KeepAsync(jobId, mine.Chunk, message, ct);
        if (!run.ReleaseHaltedJob && await jobs.GetJobAsync(jobId, ct) is { State: JobState.Halted } halted)
        {
            return await ContainAsync(mine, halted, run, ct);
        }

        var policy = run.PolicyFor(batch.Policy);
        var verdict = LeakDetector.Scan(batch.Mail, policy);
        mine = mine with { Personalizations = verdict.Personalizations, Recipients = verdict.Recipients, SafeSubject = verdict.SafeSubject };
        if (verdict.Halt)
        {
            return await HaltAsync(mine, batch, policy, verdict, verdict.Findings, [], run, ct);
        }

        // Intent first: from here on the deliveries count as potential exposures, whatever happens to this worker.
        await ledger.RecordAsync(verdict.Deliveries.Select(d => LedgerDelivery.From(jobId, mine.Chunk, d)).ToList(), ct);
        var judgement = await CheckAcrossChunksAsync(jobId, mine.Chunk, verdict, ct);
        if (judgement.Findings.Count > 0)
        {
            return await HaltAsync(mine, batch, policy, verdict, judgement.Findings, judgement.Exposures, run, ct);
        }

        return await SendAsync(mine, batch, policy, run, ct);
    }

    /// <summary>
    /// The cross-chunk judgement, fed with the job's deliveries that reached or may reach someone, whenever another
    /// chunk already delivered to one of this chunk's recipients or carried one of its data subjects.
    /// </summary>
    private async Task<CrossChunkJudgement> CheckAcrossChunksAsync(string jobId, int chunk, Verdict verdict, CancellationToken ct)
    {
        var claims = verdict.Deliveries.Select(d => DeliveryClaim.Recipient(jobId, d.Recipient, chunk))
            .Concat(verdict.Deliveries.Select(d => DeliveryClaim.Subject(jobId, d.SubjectKey, chunk)))
            .DistinctBy(c => c.Key)
            .ToList();

        // Of two chunks racing for a recipient or a subject, exactly one finds the other's claim, and that one's
        // deliveries are already in the ledger (written before the claim).
        if (!(await ledger.ClaimAsync(claims, ct)).Any(c => c.Chunk != chunk))
        {
            return new CrossChunkJudgement([], []);
        }

        var states = (await jobs.ListChunksAsync(jobId, ct)).ToDictionary(c => c.Chunk, c => c.State);
        var earlier = (await ledger.DeliveriesAsync(jobId, ct))
            .Where(d => d.Chunk != chunk && !(states.TryGetValue(d.Chunk, out var s) && s.Unsent()))
            .ToList();
        return CrossChunkCheck.Judge(chunk, verdict, earlier);
    }

    private async Task<InspectionResult> SendAsync(ChunkRecord mine, OutboundBatch batch, BatchPolicy policy, ChunkRun run, CancellationToken ct)
    {
        var jobId = mine.JobId;
        var job = await jobs.GetJobAsync(jobId, ct);
        if (job?.State == JobState.Halted && !run.ReleaseHaltedJob)
        {
            return await ContainAsync(mine, job, run, ct);
        }

        string? batchId = null;
        DateTimeOffset? sendAt = null;
        if (policy.HoldMinutes > 0 && (job is null || job.Cancel == CancelState.None))
        {
            batchId = await containment.EnsureBatchIdAsync(jobId, batch.ChunkCount, run.ReleaseHaltedJob, ct);
            if (batchId is null)
            {
                return await ContainAsync(mine, (await jobs.GetJobAsync(jobId, ct))!, run, ct);
            }

            sendAt = time.GetUtcNow().AddMinutes(policy.HoldMinutes);
        }

        var now = time.GetUtcNow();
        var attemptId = Guid.NewGuid().ToString("N");
        var sending = await jobs.TryReplaceChunkAsync(mine with
        {
            State = ChunkState.Sending,
            AttemptId = attemptId,
            AttemptedAt = now,
            Attempts = mine.Attempts + 1,
            SendAt = sendAt,
            LeaseUntil = now + _options.ChunkLease,
            Reason = null,
        }, ct) ?? throw new ChunkBusyException(jobId, mine.Chunk);
        if (run.Unattended)
        {
            // No queue message stands behind this run: if this worker dies, the sweep must find the chunk.
            await jobs.FlagAsync(new AttentionFlag(jobId, mine.Chunk), ct);
        }

        var result = await mail.SendAsync(OutgoingMail.Prepare(batch.MailJson, attemptId, sendAt, batchId, notMineLinks.For(jobId, mine.Chunk, batch.Mail, policy)), ct);
        return result.Outcome switch
        {
            MailOutcome.Accepted => await AcceptedAsync(sending, batch.ChunkCount, now, run, ct),
            MailOutcome.Unknown => await UnknownAsync(sending, result, ct),
            _ => await NotAcceptedAsync(sending, result, run, ct),
        };
    }

    private async Task<InspectionResult> AcceptedAsync(ChunkRecord sending, int chunkCount, DateTimeOffset sentAt, ChunkRun run, CancellationToken ct)
    {
        var sent = await MarkSentAsync(sending, sentAt, ct);
        if (sent is null)
        {
            // Settled while SendGrid answered: the job's cancel caught the held chunk.
            var settled = await jobs.GetChunkAsync(sending.JobId, sending.Chunk, ct) ?? sending;
            return settled.State == ChunkState.Cancelled
                ? new InspectionResult(InspectionOutcome.Contained, settled.JobId, settled.Chunk, Reason: settled.Reason)
                : Duplicate(settled);
        }

        await MarkJobSentAsync(sending.JobId, chunkCount, sentAt, ct);
        if (sent.SendAt is null)
        {
            await bodies.DeleteKeptAsync(sent.JobId, sent.Chunk, ct);
        }
        else if (!run.IsRelease)
        {
            // The job may have been halted while we sent: with a hold window, this chunk can still be cancelled.
            await containment.AfterHeldSendAsync(sent.JobId, ct);
        }

        if (run.Unattended)
        {
            await jobs.UnflagAsync(new AttentionFlag(sent.JobId, sent.Chunk), ct);
        }

        if (run.IsRelease)
        {
            await RecordEventAsync(sent.JobId, IncidentEventKind.ChunkReleased, run.Operator!, $"chunk {sent.Chunk} released and sent", sent.Chunk, ct);
        }

        logger.LogInformation("Job {JobId} chunk {Chunk}/{ChunkCount}: pass, sent {Personalizations} personalizations to {Recipients} recipients",
            sent.JobId, sent.Chunk, chunkCount, sent.Personalizations, sent.Recipients);
        return new InspectionResult(InspectionOutcome.Sent, sent.JobId, sent.Chunk);
    }

    /// <summary>Records SendGrid's acceptance, unless the chunk was settled otherwise meanwhile (cancelled, or reconciled).</summary>
    private async Task<ChunkRecord?> MarkSentAsync(ChunkRecord chunk, DateTimeOffset sentAt, CancellationToken ct)
    {
        var attemptId = chunk.AttemptId;
        for (var current = chunk; current is { State: ChunkState.Sending or ChunkState.Unknown } && current.AttemptId == attemptId;
             current = await jobs.GetChunkAsync(chunk.JobId, chunk.Chunk, ct))
        {
            var sent = await jobs.TryReplaceChunkAsync(current with { State = ChunkState.Sent, SentAt = sentAt, LeaseUntil = null, NextCheckAt = null }, ct);
            if (sent is not null)
            {
                return sent;
            }
        }

        return null;
    }

    private async Task<InspectionResult> UnknownAsync(ChunkRecord sending, MailResult result, CancellationToken ct)
    {
        var unknown = await jobs.TryReplaceChunkAsync(sending with
        {
            State = ChunkState.Unknown,
            LeaseUntil = null,
            Checks = 0,
            NextCheckAt = time.GetUtcNow() + _options.Backoff(0),
            Reason = $"SendGrid's answer was lost ({result}): unknown until Email Activity settles it",
        }, ct);
        await jobs.FlagAsync(new AttentionFlag(sending.JobId, sending.Chunk), ct);
        await RecordEventAsync(sending.JobId, IncidentEventKind.ChunkUnknown, OperatorAction.Detector,
            $"chunk {sending.Chunk}: SendGrid's answer was lost; unknown whether it was accepted", sending.Chunk, ct);
        logger.LogWarning("Job {JobId} chunk {Chunk}: SendGrid's answer was lost ({Result}); not sent again until Email Activity settles it",
            sending.JobId, sending.Chunk, result);
        return new InspectionResult(InspectionOutcome.Unknown, sending.JobId, sending.Chunk, Reason: (unknown ?? sending).Reason);
    }

    private async Task<InspectionResult> NotAcceptedAsync(ChunkRecord sending, MailResult result, ChunkRun run, CancellationToken ct)
    {
        if (run.IsRelease)
        {
            // A failed release leaves the chunk as it was: quarantined, releasable again.
            await jobs.TryReplaceChunkAsync(sending with { State = ChunkState.Quarantined, LeaseUntil = null, SendAt = null, Reason = $"release not accepted by SendGrid: {result}" }, ct);
            await jobs.UnflagAsync(new AttentionFlag(sending.JobId, sending.Chunk), ct);
            await RecordEventAsync(sending.JobId, IncidentEventKind.ReleaseFailed, run.Operator!, $"chunk {sending.Chunk}: SendGrid did not accept the release ({result}); still quarantined", sending.Chunk, ct);
            return new InspectionResult(InspectionOutcome.Refused, sending.JobId, sending.Chunk, Reason: result.ToString());
        }

        if (result.Outcome == MailOutcome.Refused)
        {
            await jobs.TryReplaceChunkAsync(sending with { State = ChunkState.Refused, LeaseUntil = null, Reason = $"SendGrid refused it: {result}" }, ct);
            await jobs.UnflagAsync(new AttentionFlag(sending.JobId, sending.Chunk), ct);
            logger.LogError("Job {JobId} chunk {Chunk}: SendGrid refused it for good ({Result}); not retried", sending.JobId, sending.Chunk, result);
            return new InspectionResult(InspectionOutcome.Refused, sending.JobId, sending.Chunk, Reason: result.ToString());
        }

        // Not accepted, so a later attempt cannot double-send: the queue retries the message (the sweep, for an unattended run: it stays flagged).
        await jobs.TryReplaceChunkAsync(sending with { State = ChunkState.NotSent, LeaseUntil = null, Reason = $"SendGrid did not accept it: {result}" }, ct);
        logger.LogWarning("Job {JobId} chunk {Chunk}: SendGrid did not accept the chunk ({Result}); the queue will retry", sending.JobId, sending.Chunk, result);
        throw new SendNotAcceptedException(sending.JobId, sending.Chunk, result.Status, result.Detail);
    }

    /// <summary>
    /// Settles a chunk whose SendGrid answer is unknown: accepted if Email Activity lists its attempt; not accepted
    /// only if it still does not long after the attempt (then it runs again); unknown otherwise, asked again later.
    /// </summary>
    private async Task<InspectionResult> ReconcileAsync(ChunkRecord chunk, Func<Task<(OutboundBatch Batch, ReadOnlyMemory<byte> Message)?>> loadBatch, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var answer = await mail.FindAcceptedAsync(OutgoingMail.AttemptArg, chunk.AttemptId!, ct);
        if (answer == ActivityAnswer.Found)
        {
            var sent = await MarkSentAsync(chunk, chunk.AttemptedAt ?? now, ct);
            if (sent is not null)
            {
                await MarkJobSentAsync(sent.JobId, 0, sent.SentAt!.Value, ct);
                await jobs.UnflagAsync(new AttentionFlag(sent.JobId, sent.Chunk), ct);
                await RecordEventAsync(sent.JobId, IncidentEventKind.ChunkResolved, OperatorAction.Timer, $"chunk {sent.Chunk}: Email Activity shows SendGrid accepted it", sent.Chunk, ct);
                if (sent.SendAt is not null)
                {
                    await containment.AfterHeldSendAsync(sent.JobId, ct);
                }
            }

            logger.LogWarning("Job {JobId} chunk {Chunk}: Email Activity shows it was accepted; recorded as sent, not sent again", chunk.JobId, chunk.Chunk);
            return new InspectionResult(InspectionOutcome.Sent, chunk.JobId, chunk.Chunk, Reason: "reconciled through Email Activity");
        }

        if (answer == ActivityAnswer.NotFound && now >= chunk.AttemptedAt + _options.ActivityIndexingLag && await loadBatch() is var (batch, message))
        {
            logger.LogWarning("Job {JobId} chunk {Chunk}: not in Email Activity {Lag} after the attempt: not accepted; it runs again", chunk.JobId, chunk.Chunk, _options.ActivityIndexingLag);
            await RecordEventAsync(chunk.JobId, IncidentEventKind.ChunkNotAccepted, OperatorAction.Timer, $"chunk {chunk.Chunk}: Email Activity shows SendGrid did not accept it", chunk.Chunk, ct);
            return await TakeOverAsync(chunk, batch, message, ChunkRun.Sweep, ct);
        }

        var unavailable = answer == ActivityAnswer.Unavailable;
        var still = chunk with
        {
            State = ChunkState.Unknown,
            LeaseUntil = null,
            Checks = chunk.Checks + 1,
            NextCheckAt = unavailable ? null : now + _options.Backoff(chunk.Checks),
            Reason = unavailable
                ? "SendGrid's answer was lost and Email Activity is not available to this account: it cannot be known whether it was accepted"
                : $"SendGrid's answer was lost; Email Activity has no answer yet ({answer}); asked again later",
        };
        if (await jobs.TryReplaceChunkAsync(still, ct) is not null)
        {
            var flag = new AttentionFlag(chunk.JobId, chunk.Chunk);
            await (unavailable ? jobs.UnflagAsync(flag, ct) : jobs.FlagAsync(flag, ct));
            if (chunk.State != ChunkState.Unknown)
            {
                await RecordEventAsync(chunk.JobId, IncidentEventKind.ChunkUnknown, OperatorAction.Timer, $"chunk {chunk.Chunk}: its worker stopped mid-send; unknown whether SendGrid accepted it", chunk.Chunk, ct);
            }
        }

        return new InspectionResult(InspectionOutcome.Unknown, chunk.JobId, chunk.Chunk, Reason: still.Reason);
    }

    private async Task<InspectionResult> HaltAsync(ChunkRecord mine, OutboundBatch batch, BatchPolicy policy, Verdict verdict, IReadOnlyList<Finding> findings,
        IReadOnlyList<LedgerDelivery> exposures, ChunkRun run, CancellationToken ct)
    {
        var jobId = mine.JobId;
        var now = time.GetUtcNow();
        var job = await containment.HaltJobAsync(jobId, batch.ChunkCount, Keys.IncidentFor(jobId), IncidentSource.Detector, now, ct);
        var incidentId = job.IncidentId!;
        var rules = string.Join(", ", findings.Select(f => f.Rule).Distinct());

        // Deliveries that carried someone else's data are exposure candidates: whether they reached anyone is their
        // chunk's state when the incident is read (a chunk still in flight now is waited for, never assumed).
        var misdirected = (await ledger.DeliveriesAsync(jobId, ct)).Where(d => d.Misdirected && d.Chunk != mine.Chunk);
        var candidates = exposures.Concat(misdirected)
            .Select(d => new ExposureCandidate(incidentId, d.Chunk, d.Recipient, d.SubjectKey, d.SubjectEmail, d.Categories, d.SubjectName))
            .ToList();

        // A near miss when nothing of the job reached anyone else, a leak otherwise; an in-flight chunk that turns out
        // sent makes the near miss a leak later (the timer records the change).
        var reached = ExposureAttribution.Attribute(job, await jobs.ListChunksAsync(jobId, ct), candidates, now).Reached.Count > 0;
        var opened = IncidentRecord.Open(incidentId, jobId, IncidentSource.Detector, reached, OperatorAction.Detector, now, rules) with
        {
            Language = policy.Language,
            ContactEmail = policy.ContactEmail,
        };
        await OpenIncidentAsync(opened, ct);
        var who = run.Operator ?? OperatorAction.Detector;
        await incidents.AppendEventAsync(new IncidentEvent(incidentId, now, IncidentEventKind.Halted, who.Who, $"chunk {mine.Chunk}: {rules}", mine.Chunk), ct);
        await bodies.WriteReasonAsync(jobId, mine.Chunk, JsonSerializer.Serialize(new { verdict = "halt", incidentId, findings }, StoredJson.Options), ct);

        // What this chunk would have given to the wrong people: the detector's misdirected deliveries, or (across
        // chunks) the deliveries the findings name that nothing confirms as their recipient's own. None known: unknown.
        var flagged = findings.Select(f => f.Personalization).OfType<int>().ToHashSet();
        var prevented = verdict.Deliveries.Any(d => d.Misdirected)
            ? verdict.Deliveries.Where(d => d.Misdirected).ToList()
            : verdict.Deliveries.Where(d => flagged.Contains(d.Personalization) && !d.OwnerConfirmed && d.Relationship is null).ToList();
        await incidents.SaveFindingsAsync(new ChunkFindings(incidentId, mine.Chunk, findings, now,
            prevented.Count == 0 ? null : prevented.Select(d => d.SubjectKey).Distinct().Count(),
            prevented.Count == 0 ? null : prevented.Select(d => d.Recipient).Distinct().Count()), ct);
        await incidents.AddExposureCandidatesAsync(candidates, ct);
        if (await incidents.GetAsync(incidentId, ct) is { } incident)
        {
            // Reopened by this halt: what reached people by now may make it a leak.
            var all = await incidents.ExposureCandidatesAsync(incidentId, ct);
            await recorder.ReconcileKindAsync(incident, ExposureAttribution.Attribute(job, await jobs.ListChunksAsync(jobId, ct), all, now), OperatorAction.Detector, ct);
        }

        await jobs.TryReplaceChunkAsync(mine with { State = ChunkState.Quarantined, LeaseUntil = null, SendAt = null, Reason = $"halted: {rules}" }, ct);
        if (run.Unattended)
        {
            await jobs.UnflagAsync(new AttentionFlag(jobId, mine.Chunk), ct);
        }

        if (job.Cancel == CancelState.Requested)
        {
            await containment.CancelAsync(jobId, ct);
        }

        var inFlight = (await jobs.ListChunksAsync(jobId, ct)).Count(c => c.Chunk != mine.Chunk && c.State.InFlight());
        logger.LogWarning("Job {JobId} chunk {Chunk}/{ChunkCount}: HALT ({Rules}); incident {IncidentId}, {Candidates} exposure candidates, {InFlight} chunks in flight",
            jobId, mine.Chunk, batch.ChunkCount, rules, incidentId, candidates.Count, inFlight);
        return new InspectionResult(InspectionOutcome.Halted, jobId, mine.Chunk, incidentId, Findings: findings);
    }

    private async Task<InspectionResult> ContainAsync(ChunkRecord mine, JobRecord job, ChunkRun run, CancellationToken ct)
    {
        var reason = job.HaltedBy == IncidentSource.RecipientReport
            ? ContainedReason.Reported
            : ContainedReason.Halted;
        await bodies.WriteReasonAsync(mine.JobId, mine.Chunk, JsonSerializer.Serialize(new { verdict = "contained", incidentId = job.IncidentId, reason }, StoredJson.Options), ct);
        await jobs.TryReplaceChunkAsync(mine with { State = ChunkState.Quarantined, LeaseUntil = null, SendAt = null, Reason = reason }, ct);
        if (run.Unattended)
        {
            await jobs.UnflagAsync(new AttentionFlag(mine.JobId, mine.Chunk), ct);
        }

        await RecordEventAsync(mine.JobId, IncidentEventKind.ChunkContained, OperatorAction.Detector, $"chunk {mine.Chunk} quarantined unsent", mine.Chunk, ct);
        logger.LogWarning("Job {JobId} chunk {Chunk}: quarantined unsent, {Reason} (incident {IncidentId})", mine.JobId, mine.Chunk, reason, job.IncidentId);
        return new InspectionResult(InspectionOutcome.Contained, mine.JobId, mine.Chunk, job.IncidentId, reason);
    }

    private async Task FailAsync(ChunkRecord chunk, string reason, CancellationToken ct)
    {
        if (await jobs.TryReplaceChunkAsync(chunk with { State = ChunkState.Failed, LeaseUntil = null, Reason = "not sent: " + reason }, ct) is not null)
        {
            await jobs.UnflagAsync(new AttentionFlag(chunk.JobId, chunk.Chunk), ct);
            await RecordEventAsync(chunk.JobId, IncidentEventKind.ChunkFailed, OperatorAction.Timer, $"chunk {chunk.Chunk} not sent: {reason}", chunk.Chunk, ct);
            logger.LogError("Job {JobId} chunk {Chunk}: not sent, {Reason}", chunk.JobId, chunk.Chunk, reason);
        }
    }

    /// <summary>Opens the incident, or reopens it: a new halt means there may be new people to tell.</summary>
    private async Task OpenIncidentAsync(IncidentRecord incident, CancellationToken ct)
    {
        while (await incidents.TryAddAsync(incident, ct) is null)
        {
            var existing = await incidents.GetAsync(incident.IncidentId, ct);
            if (existing is null || existing.Status == IncidentStatus.Open
                || await incidents.TryReplaceAsync(existing with { Status = IncidentStatus.Open }, ct) is not null)
            {
                return;
            }
        }

        await incidents.AppendEventAsync(new IncidentEvent(incident.IncidentId, incident.OpenedAt, IncidentEventKind.Opened, OperatorAction.Detector.Who, StoredName.Of(incident.Source)), ct);
    }

    /// <summary>Notes the first send of the job (for the incident timeline).</summary>
    private async Task MarkJobSentAsync(string jobId, int chunkCount, DateTimeOffset at, CancellationToken ct)
    {
        while (true)
        {
            var job = await jobs.GetJobAsync(jobId, ct);
            if (job?.FirstSentAt <= at)
            {
                return;
            }

            var saved = job is null
                ? await jobs.TryAddJobAsync(new JobRecord(jobId) { ChunkCount = chunkCount, FirstSentAt = at }, ct)
                : await jobs.TryReplaceJobAsync(job with { FirstSentAt = at }, ct);
            if (saved is not null)
            {
                return;
            }
        }
    }

    private async Task RecordEventAsync(string jobId, IncidentEventKind kind, OperatorAction who, string detail, int chunk, CancellationToken ct)
    {
        if ((await jobs.GetJobAsync(jobId, ct))?.IncidentId is { } incidentId)
        {
            await incidents.AppendEventAsync(new IncidentEvent(incidentId, time.GetUtcNow(), kind, who.Who, detail, chunk, Reason: who.Reason), ct);
        }
    }

    private async Task<(OutboundBatch Batch, ReadOnlyMemory<byte> Message)?> KeptBatchAsync(ChunkRecord chunk, CancellationToken ct) =>
        await bodies.ReadKeptAsync(chunk.JobId, chunk.Chunk, ct) is { } kept ? (BatchParser.Parse(kept), kept) : null;

    private InspectionResult Duplicate(ChunkRecord existing)
    {
        logger.LogInformation("Job {JobId} chunk {Chunk}: duplicate delivery ignored (already {State})", existing.JobId, existing.Chunk, StoredName.Of(existing.State));
        return new InspectionResult(InspectionOutcome.Duplicate, existing.JobId, existing.Chunk, Reason: StoredName.Of(existing.State));
    }
}
