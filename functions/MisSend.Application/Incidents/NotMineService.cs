using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.Core;
using MisSend.Core.Batches;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;

namespace MisSend.Application.Incidents;

public enum NotMineOutcome
{
    /// <summary>The report was recorded and acted on (or is left for the sweep, which acts within a minute).</summary>
    Recorded,

    /// <summary>This personalization reported already: it counts once.</summary>
    AlreadyReported,

    /// <summary>Forged, altered or for another purpose: no effect.</summary>
    Invalid,

    Expired,

    /// <summary>A genuine token for a mail the records do not hold: no effect.</summary>
    UnknownMail,
}

/// <param name="Language">The recipient's language from the token ("ja" or "en"); null when the token could not tell.</param>
public sealed record NotMineAnswer(NotMineOutcome Outcome, string? Language)
{
    public bool Counted => Outcome is NotMineOutcome.Recorded or NotMineOutcome.AlreadyReported;
}

public enum DismissOutcome
{
    Dismissed,
    AlreadyDismissed,
    NotFound,

    /// <summary>Not dismissable as it stands (see the message): nothing changed.</summary>
    Refused,
}

/// <param name="Released">What happened to each chunk the reports held: sent, halted again by the re-inspection, …</param>
public sealed record DismissResult(DismissOutcome Outcome, string Message, IReadOnlyList<(int Chunk, ChunkDecision Decision)> Released)
{
    public static DismissResult Refused(string message) => new(DismissOutcome.Refused, message, []);
}

/// <summary>
/// Recipients' "this mail is not for me" reports: the first one pauses what is left of the job, opens an incident of the
/// reported kind (or attaches to the job's incident) with the reported delivery as a suspected exposure, and alerts the
/// officer. A report never notifies anyone by itself: the officer declares the scope, or dismisses the reports, which
/// resumes the job and sends its held chunks through the send path again.
/// </summary>
public sealed class NotMineService(
    IIncidentStore incidents,
    IJobStore jobs,
    IExposureLedger ledger,
    IBodyStore bodies,
    Containment containment,
    IncidentService incidentService,
    IncidentRecorder recorder,
    NotMineLinks links,
    OfficerAlert alert,
    IOptions<AlertOptions> alerts,
    TimeProvider time,
    ILogger<NotMineService> logger)
{
    /// <summary>The incident's opening reason, as its kind history records it (the report shows the source in words).</summary>
    public const string OpenReason = "a recipient reported a mail of the job as not meant for them";

    /// <summary>What a GET may do: read the token, for the page's language. No effect.</summary>
    public (string? Language, TokenFailure? Failure) Check(string? token)
    {
        var (claims, failure) = links.Validate(token);
        return (claims?.Language, failure);
    }

    /// <summary>
    /// A recipient's POST. The job's flag for the sweep is written before the report, so a worker that stops anywhere
    /// after storing it leaves it for the next tick; otherwise it is acted on here, before the answer.
    /// </summary>
    public async Task<NotMineAnswer> ReportAsync(string? token, IReadOnlyCollection<NotMinePart> parts, CancellationToken ct)
    {
        var (claims, failure) = links.Validate(token);
        if (claims is null)
        {
            logger.LogInformation("\"Not mine\" link refused ({Failure}); no effect", StoredName.Of(failure!.Value));
            return new NotMineAnswer(failure == TokenFailure.Expired ? NotMineOutcome.Expired : NotMineOutcome.Invalid, null);
        }

        var (jobId, chunkNumber, personalization) = (claims.JobId, claims.Chunk, claims.Personalization);
        if (await jobs.GetChunkAsync(jobId, chunkNumber, ct) is not { } chunk || personalization >= chunk.Personalizations)
        {
            logger.LogWarning("Job {JobId} chunk {Chunk}: a genuine \"not mine\" link names a mail the records do not hold; no effect", jobId, chunkNumber);
            return new NotMineAnswer(NotMineOutcome.UnknownMail, claims.Language);
        }

        await jobs.FlagAsync(new AttentionFlag(jobId, AttentionFlag.Reports), ct);
        var added = await incidents.TryAddNotMineReportAsync(new NotMineReport(Keys.IncidentFor(jobId), jobId, chunkNumber, personalization)
        {
            ReportedAt = time.GetUtcNow(),
            Parts = parts.Distinct().Order().ToArray(),
        }, ct);
        logger.LogWarning("Job {JobId} chunk {Chunk}: personalization {Personalization} reported as not meant for its recipient{Again}",
            jobId, chunkNumber, personalization, added is null ? " again (counted once)" : "");
        try
        {
            await ActAsync(jobId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The report is stored and the job flagged: the timer's sweep finishes what failed here.
            logger.LogError("Job {JobId}: acting on a \"not mine\" report failed ({Error}); the sweep finishes it", jobId, e.Message);
        }

        return new NotMineAnswer(added is null ? NotMineOutcome.AlreadyReported : NotMineOutcome.Recorded, claims.Language);
    }

    /// <summary>
    /// Acts on every report of the job not acted on yet: the incident first (so that a dismissal racing with this report
    /// is refused or sees it reopened), then the pause, the suspected exposures, and the officer's alert. Idempotent; the
    /// sweep calls it for flagged jobs, and the flag goes once nothing is left.
    /// </summary>
    public async Task ActAsync(string jobId, CancellationToken ct)
    {
        var incidentId = Keys.IncidentFor(jobId);
        var fresh = (await incidents.NotMineReportsAsync(incidentId, ct)).Where(r => r.ActedAt is null).ToList();
        if (fresh.Count > 0)
        {
            var now = time.GetUtcNow();
            await AttachAsync(jobId, incidentId, fresh.Min(r => r.ReportedAt), now, ct);
            await PauseAsync(jobId, incidentId, now, ct);
            var deliveries = await ledger.DeliveriesAsync(jobId, ct);
            foreach (var report in fresh)
            {
                var suspected = deliveries.Where(d => d.Chunk == report.Chunk && d.Personalization == report.Personalization)
                    .Select(d => new SuspectedDelivery(d.Recipient, d.SubjectKey, d.SubjectEmail, d.Categories, d.OwnerConfirmed))
                    .ToList();
                if (await incidents.TryReplaceNotMineReportAsync(report with { Suspected = suspected, ActedAt = now }, ct) is not null)
                {
                    var parts = report.Parts.Count == 0 ? "none named" : string.Join(", ", report.Parts.Select(StoredName.Of));
                    await recorder.RecordAsync(incidentId, IncidentEventKind.NotMineReported, OperatorAction.Recipient,
                        $"chunk {report.Chunk}, personalization {report.Personalization}: not meant for its recipient (parts: {parts}); "
                        + $"{suspected.Count} {(suspected.Count == 1 ? "delivery" : "deliveries")} recorded as suspected exposures", report.Chunk, ct: ct);
                }
            }
        }

        if (await AlertAsync(jobId, incidentId, ct))
        {
            await jobs.UnflagAsync(new AttentionFlag(jobId, AttentionFlag.Reports), ct);
        }
    }

    /// <summary>
    /// An officer finds the recipients' reports unfounded: recorded with who and why, the job resumes, and every chunk
    /// the reports held is released through the send path (re-inspected, so a chunk that halts stays held).
    /// </summary>
    public async Task<DismissResult> DismissAsync(string incidentId, OperatorAction who, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(who.Reason))
        {
            return DismissResult.Refused("a reason is required: it is recorded with who dismissed the reports");
        }

        if (await incidents.GetAsync(incidentId, ct) is not { } incident)
        {
            return new DismissResult(DismissOutcome.NotFound, $"no incident '{incidentId}'", []);
        }

        if (incident.Status == IncidentStatus.Dismissed)
        {
            return new DismissResult(DismissOutcome.AlreadyDismissed, "already dismissed", []);
        }

        var reports = await incidents.NotMineReportsAsync(incidentId, ct);
        var job = await jobs.GetJobAsync(incident.JobId, ct);
        var problem = reports.Count == 0 ? "no recipient reported a mail of this job: there is nothing to dismiss"
            : incident.Kind != IncidentKind.Reported ? $"it is a {StoredName.Of(incident.Kind)} found by the detector: its findings stand (release or discard its chunks in the quarantine)"
            : incident.Declarations.Count > 0 ? "its scope is declared: the reports were confirmed, and notices follow the declaration"
            : (await incidents.FindingsAsync(incidentId, ct)).Count > 0 ? "the detector halted a chunk of the job: release or discard its chunks in the quarantine"
            : reports.Any(r => r.ActedAt is null) ? "a report is still being acted on: try again in a minute"
            : job?.Cancel == CancelState.Requested ? "the cancel of the job's scheduled sends is not confirmed yet: try again in a minute"
            : null;
        if (problem is not null)
        {
            return DismissResult.Refused($"the reports of {incidentId} cannot be dismissed: {problem}");
        }

        // Conditional on the incident as read: a report attached meanwhile changed it, and is not dismissed unseen.
        if (await incidents.TryReplaceAsync(incident with { Status = IncidentStatus.Dismissed }, ct) is null)
        {
            return DismissResult.Refused("the incident changed meanwhile (a new report?): reload it and decide again");
        }

        await recorder.RecordAsync(incidentId, IncidentEventKind.ReportDismissed, who, "the recipients' reports dismissed; the job resumes", ct: ct);
        await ResumeAsync(incident.JobId, incidentId, who, ct);

        // A report that reopened the incident meanwhile has paused the job again (or will): nothing is released.
        if ((await incidents.GetAsync(incidentId, ct))?.Status != IncidentStatus.Dismissed)
        {
            await PauseAsync(incident.JobId, incidentId, time.GetUtcNow(), ct);
            return new DismissResult(DismissOutcome.Dismissed, "dismissed, but a new report reopened the incident meanwhile: the job stays paused", []);
        }

        var released = new List<(int, ChunkDecision)>();
        foreach (var chunk in (await jobs.ListChunksAsync(incident.JobId, ct)).Where(c => c.State is ChunkState.Quarantined or ChunkState.Cancelled).OrderBy(c => c.Chunk))
        {
            released.Add((chunk.Chunk, await ReleaseAsync(chunk, who, ct)));
        }

        logger.LogWarning("Incident {IncidentId}: {Reports} recipient reports dismissed by an operator; {Sent} of {Held} held chunks sent",
            incidentId, reports.Count, released.Count(r => r.Item2.Done), released.Count);
        var sent = released.Count(r => r.Item2.Done);
        return new DismissResult(DismissOutcome.Dismissed,
            released.Count == 0 ? "dismissed; the job held no chunks" : $"dismissed; {sent} of {released.Count} held chunks re-inspected and sent", released);
    }

    /// <summary>Opens the reported incident, or attaches to the job's (reopening a dismissed one): always a write, see <see cref="IncidentRecord.LastReportAt"/>.</summary>
    private async Task AttachAsync(string jobId, string incidentId, DateTimeOffset reportedAt, DateTimeOffset now, CancellationToken ct)
    {
        var opened = IncidentRecord.Open(incidentId, jobId, IncidentSource.RecipientReport, personalDataLeft: false, OperatorAction.Recipient, reportedAt, OpenReason)
            with { LastReportAt = now };
        if (await incidents.TryAddAsync(opened, ct) is not null)
        {
            await recorder.RecordAsync(incidentId, IncidentEventKind.Opened, OperatorAction.Recipient, StoredName.Of(IncidentSource.RecipientReport), ct: ct);
            logger.LogWarning("Incident {IncidentId} opened by a recipient's report on job {JobId}: scope under investigation until declared", incidentId, jobId);
            return;
        }

        var reopened = false;
        await recorder.UpdateAsync(incidentId, i =>
        {
            reopened = i.Status == IncidentStatus.Dismissed;
            return i with { Status = reopened ? IncidentStatus.Open : i.Status, LastReportAt = now };
        }, ct);
        if (reopened)
        {
            await recorder.RecordAsync(incidentId, IncidentEventKind.StatusChanged, OperatorAction.Recipient, $"{StoredName.Of(IncidentStatus.Open)}: reopened by a report after the dismissal", ct: ct);
        }
    }

    /// <summary>Halts the job unless it is halted already or finished (nothing left to pause), and cancels its scheduled sends.</summary>
    private async Task PauseAsync(string jobId, string incidentId, DateTimeOffset at, CancellationToken ct)
    {
        var job = await jobs.GetJobAsync(jobId, ct);
        var chunks = await jobs.ListChunksAsync(jobId, ct);
        if (job?.State == JobState.Halted || (job is not null && Finished(job, chunks, at)))
        {
            return;
        }

        var halted = await containment.HaltJobAsync(jobId, job?.ChunkCount ?? 0, incidentId, IncidentSource.RecipientReport, at, ct);
        if (halted is { HaltedBy: IncidentSource.RecipientReport } && halted.HaltedAt == at)
        {
            await recorder.RecordAsync(incidentId, IncidentEventKind.Halted, OperatorAction.Detector,
                $"paused by a recipient's report: chunks not yet sent are held{(halted.Cancel == CancelState.Requested ? "; cancel of the scheduled sends requested" : "")}", ct: ct);
            logger.LogWarning("Job {JobId}: paused by a recipient's report; {Sent} of {Chunks} chunks had been sent", jobId,
                chunks.Count(c => c.State == ChunkState.Sent), Math.Max(halted.ChunkCount, chunks.Count));
        }

        if (halted.Cancel == CancelState.Requested)
        {
            await containment.CancelAsync(jobId, ct);
        }
    }

    /// <summary>Every chunk of the job is there and went out for good (or never will): a report has nothing left to pause.</summary>
    private static bool Finished(JobRecord job, IReadOnlyList<ChunkRecord> chunks, DateTimeOffset now) =>
        job.ChunkCount > 0 && chunks.Count >= job.ChunkCount
        && chunks.All(c => c.State is ChunkState.Refused or ChunkState.Failed or ChunkState.Discarded or ChunkState.Cancelled
            || (c.State == ChunkState.Sent && !(c.SendAt > now)));

    /// <summary>Un-pauses a job the reports paused. A confirmed cancel used up its batch id: what follows gets a new one.</summary>
    private async Task ResumeAsync(string jobId, string incidentId, OperatorAction who, CancellationToken ct)
    {
        while (await jobs.GetJobAsync(jobId, ct) is { State: JobState.Halted, HaltedBy: IncidentSource.RecipientReport } job)
        {
            var resumed = job with { State = JobState.Open, HaltedAt = null, HaltedBy = null };
            if (job.Cancel == CancelState.Done)
            {
                resumed = resumed with { Cancel = CancelState.None, BatchId = null, CancelAttempts = 0, CancelledAt = null, NextCancelAt = null, CancelError = null };
            }

            if (await jobs.TryReplaceJobAsync(resumed, ct) is not null)
            {
                await recorder.RecordAsync(incidentId, IncidentEventKind.StatusChanged, who with { Reason = null }, "job resumed: the reports were dismissed", ct: ct);
                return;
            }
        }
    }

    /// <summary>A held chunk through the send path: a cancelled scheduled send is quarantined first (its body is kept), then released like any.</summary>
    private async Task<ChunkDecision> ReleaseAsync(ChunkRecord chunk, OperatorAction who, CancellationToken ct)
    {
        if (chunk.State == ChunkState.Cancelled)
        {
            if (await bodies.ReadKeptAsync(chunk.JobId, chunk.Chunk, ct) is null
                || await jobs.TryReplaceChunkAsync(chunk with { State = ChunkState.Quarantined, SendAt = null, Reason = ContainedReason.Reported }, ct) is null)
            {
                return new ChunkDecision(false, "its scheduled send was cancelled and it cannot be sent again (its body is gone, or it changed meanwhile)");
            }
        }

        return await incidentService.ReleaseAsync(chunk.JobId, chunk.Chunk, operatorPolicy: null, releaseHaltedJob: false, who, ct);
    }

    /// <summary>
    /// Mails the officer about the reports not in an alert yet, at most once per <see cref="AlertOptions.Interval"/> per
    /// incident (claimed on the incident row, so concurrent reports make one mail). True when nothing is left to alert.
    /// </summary>
    private async Task<bool> AlertAsync(string jobId, string incidentId, CancellationToken ct)
    {
        var reports = await incidents.NotMineReportsAsync(incidentId, ct);
        if (reports.Any(r => r.ActedAt is null))
        {
            return false;
        }

        var due = reports.Where(r => r.AlertedAt is null).ToList();
        if (due.Count == 0 || !alert.Configured)
        {
            return true;
        }

        var now = time.GetUtcNow();
        var (incident, claimed) = await recorder.UpdateAsync(incidentId,
            i => i.LastAlertAt > now - alerts.Value.Interval ? null : i with { LastAlertAt = now }, ct);
        if (!claimed)
        {
            return false; // an alert went out within the interval: the sweep sends the next one
        }

        var result = await alert.SendAsync(incident!, await jobs.GetJobAsync(jobId, ct), due, reports, ct);
        if (result.Outcome != MailOutcome.Accepted)
        {
            await recorder.RecordAsync(incidentId, IncidentEventKind.OfficerAlertFailed, OperatorAction.Timer, $"the officer's alert was not accepted ({result}); tried again later", count: due.Count, ct: ct);
            logger.LogWarning("Incident {IncidentId}: the officer's alert about {Reports} reports was not accepted ({Result}); tried again later", incidentId, due.Count, result);
            return false;
        }

        foreach (var report in due)
        {
            await MarkAlertedAsync(report, now, ct);
        }

        await recorder.RecordAsync(incidentId, IncidentEventKind.OfficerAlerted, OperatorAction.Timer, $"the officer was mailed about {due.Count} reports", count: due.Count, ct: ct);
        return true;
    }

    private async Task MarkAlertedAsync(NotMineReport report, DateTimeOffset at, CancellationToken ct)
    {
        for (var current = report; current is { AlertedAt: null };
             current = (await incidents.NotMineReportsAsync(report.IncidentId, ct)).FirstOrDefault(r => r.Chunk == report.Chunk && r.Personalization == report.Personalization))
        {
            if (await incidents.TryReplaceNotMineReportAsync(current with { AlertedAt = at }, ct) is not null)
            {
                return;
            }
        }
    }
}
