using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.Core.Notices;
using MisSend.Core.Reports;

namespace MisSend.Application.Incidents;

public sealed record ChunkDecision(bool Done, string Message, IReadOnlyList<Finding>? Findings = null);

/// <summary>What the officer and the recipients do around an incident: open one, read its report, release or discard a halted chunk, confirm a deletion.</summary>
public sealed class IncidentService(
    IIncidentStore incidents,
    INoticeStore notices,
    IJobStore jobs,
    IExposureLedger ledger,
    IBodyStore bodies,
    ChunkPipeline pipeline,
    IncidentReader reader,
    IOptions<OrganizationOptions> organization,
    IOptions<NoticeOptions> noticeOptions,
    TimeProvider time,
    ILogger<IncidentService> logger)
{
    /// <summary>
    /// Opens an incident for a job that was already sent (customers phoned in). Its exposures are what the ledger
    /// recorded as misdirected; the next notice tick tells those people. An incident the job has already is returned.
    /// </summary>
    public async Task<IncidentRecord> OpenAsync(string jobId, string reason, OperatorAction who, CancellationToken ct)
    {
        var job = await jobs.GetJobAsync(jobId, ct);
        var deliveries = await ledger.DeliveriesAsync(jobId, ct);
        if (job is null && deliveries.Count == 0)
        {
            throw new KeyNotFoundException($"no job '{jobId}' in the ledger");
        }

        var now = time.GetUtcNow();
        var incidentId = Keys.IncidentFor(jobId);
        var opened = await incidents.TryAddAsync(new IncidentRecord(incidentId, jobId) { Source = IncidentSource.Operator, Reason = reason, OpenedAt = now }, ct);
        if (opened is null)
        {
            return (await incidents.GetAsync(incidentId, ct))!;
        }

        await incidents.AppendEventAsync(new IncidentEvent(incidentId, now, IncidentEventKind.Opened, who.Who, reason), ct);
        var candidates = deliveries.Where(d => d.Misdirected)
            .Select(d => new ExposureCandidate(incidentId, d.Chunk, d.Recipient, d.SubjectKey, d.SubjectEmail, d.Categories))
            .ToList();
        await incidents.AddExposureCandidatesAsync(candidates, ct);
        logger.LogWarning("Incident {IncidentId} opened by an operator for job {JobId}: {Exposures} misdirected deliveries in the ledger", incidentId, jobId, candidates.Count);
        return opened;
    }

    /// <summary>The incident's exposures as its records show them now; null for an unknown incident.</summary>
    public Task<IncidentSnapshot?> SnapshotAsync(string incidentId, CancellationToken ct) => reader.ReadAsync(incidentId, ct);

    public async Task<IncidentReport?> ReportAsync(string incidentId, CancellationToken ct)
    {
        if (await reader.ReadAsync(incidentId, ct) is not { } snapshot)
        {
            return null;
        }

        return IncidentReportBuilder.Build(snapshot,
            await incidents.FindingsAsync(incidentId, ct),
            await notices.ListAsync(incidentId, ct),
            await notices.ListWavesAsync(incidentId, ct),
            await incidents.EventsAsync(incidentId, ct),
            organization.Value,
            snapshot.Incident.ContactEmail ?? organization.Value.ContactEmail);
    }

    /// <summary>A wrong recipient confirms "deleted unread" through the signed link. Idempotent.</summary>
    public async Task<(bool Ok, string Message)> ConfirmDeletedAsync(string? token, CancellationToken ct)
    {
        var (claims, error) = ConfirmationToken.Validate(token, noticeOptions.Value.SigningKeyBytes(), time.GetUtcNow());
        if (claims is null)
        {
            return (false, error!);
        }

        // The dispatcher may be writing the same row: re-read and try again until our change lands.
        while (true)
        {
            var row = await notices.GetAsync(claims.IncidentId, NoticeKind.DeleteRequest, claims.RecipientKey, ct);
            if (row is null)
            {
                return (false, "unknown notice");
            }

            if (row.ConfirmedDeletedAt is not null)
            {
                return (true, "already confirmed");
            }

            if (await notices.TryReplaceAsync(row with { ConfirmedDeletedAt = time.GetUtcNow() }, ct) is not null)
            {
                return (true, "confirmed");
            }
        }
    }

    /// <summary>
    /// Sends a quarantined chunk through the same path as the queue trigger: the job's own policy (plus what the
    /// operator adds), the ledger check, the job state and the hold window. A chunk of a halted job is released only on
    /// the operator's explicit decision, recorded in the incident with who made it.
    /// </summary>
    public async Task<ChunkDecision> ReleaseAsync(string jobId, int chunkNumber, BatchPolicy? operatorPolicy, bool releaseHaltedJob, OperatorAction who, CancellationToken ct)
    {
        var (chunk, kept, error) = await QuarantinedAsync(jobId, chunkNumber, ct);
        if (chunk is null)
        {
            return new ChunkDecision(false, error!);
        }

        var job = await jobs.GetJobAsync(jobId, ct);
        if (job?.State == JobState.Halted)
        {
            if (!releaseHaltedJob)
            {
                return new ChunkDecision(false, $"job '{jobId}' is halted: releasing one of its chunks needs an explicit decision (releaseHaltedJob: true), which is recorded in the incident with who made it");
            }

            await incidents.AppendEventAsync(new IncidentEvent(job.IncidentId!, time.GetUtcNow(), IncidentEventKind.ReleaseDecision, who.Who,
                $"decided to release chunk {chunkNumber} of the halted job{(who.Reason is null ? "" : ": " + who.Reason)}", chunkNumber), ct);
        }

        var result = await pipeline.ReleaseAsync(chunk, BatchParser.Parse(kept!), kept!, new ChunkRun(who, operatorPolicy, releaseHaltedJob) { Unattended = true }, ct);
        logger.LogWarning("Job {JobId} chunk {Chunk}: release by an operator: {Outcome}", jobId, chunkNumber, result.Outcome);
        return result.Outcome switch
        {
            InspectionOutcome.Sent => new ChunkDecision(true, "released and sent"),
            InspectionOutcome.Halted => new ChunkDecision(false, "still halts with this policy; not sent", result.Findings),
            InspectionOutcome.Unknown => new ChunkDecision(false, "sent, but SendGrid's answer was lost: the chunk is 'unknown' until Email Activity settles it; it is never sent twice"),
            InspectionOutcome.Refused => new ChunkDecision(false, $"SendGrid did not accept it ({result.Reason}); the chunk stays quarantined and can be released again"),
            _ => new ChunkDecision(false, $"not sent: {result.Reason ?? result.Outcome.ToString()}"),
        };
    }

    public async Task<ChunkDecision> DiscardAsync(string jobId, int chunkNumber, OperatorAction who, CancellationToken ct)
    {
        var (chunk, _, error) = await QuarantinedAsync(jobId, chunkNumber, ct);
        if (chunk is null)
        {
            return new ChunkDecision(false, error!);
        }

        if (await jobs.TryReplaceChunkAsync(chunk with { State = ChunkState.Discarded, Reason = "discarded by an operator" }, ct) is null)
        {
            return new ChunkDecision(false, "the chunk changed meanwhile");
        }

        if ((await jobs.GetJobAsync(jobId, ct))?.IncidentId is { } incidentId)
        {
            await incidents.AppendEventAsync(new IncidentEvent(incidentId, time.GetUtcNow(), IncidentEventKind.ChunkDiscarded, who.Who,
                $"chunk {chunkNumber} discarded{(who.Reason is null ? "" : ": " + who.Reason)}", chunkNumber), ct);
        }

        return new ChunkDecision(true, "discarded; the quarantined body is kept for the record");
    }

    private async Task<(ChunkRecord? Chunk, byte[]? Body, string? Error)> QuarantinedAsync(string jobId, int chunkNumber, CancellationToken ct)
    {
        if (JobIds.Problem(jobId) is { } problem)
        {
            return (null, null, problem);
        }

        var chunk = await jobs.GetChunkAsync(jobId, chunkNumber, ct);
        if (chunk is null)
        {
            return (null, null, $"no chunk {chunkNumber} of job '{jobId}'");
        }

        if (chunk.State != ChunkState.Quarantined)
        {
            return (null, null, $"chunk {chunkNumber} of job '{jobId}' is {StoredName.Of(chunk.State)}, not quarantined");
        }

        var body = await bodies.ReadKeptAsync(jobId, chunkNumber, ct);
        return body is null ? (null, null, "the quarantined body is missing") : (chunk, body, null);
    }
}
