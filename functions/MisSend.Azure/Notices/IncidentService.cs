using System.Text.Json;
using MisSend.Azure.Configuration;
using MisSend.Azure.Pipeline;
using MisSend.Azure.Sending;
using MisSend.Azure.Storage;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.Core.Notices;
using MisSend.Core.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MisSend.Azure.Notices;

public sealed record ChunkDecision(bool Done, string Message, IReadOnlyList<Finding>? Findings = null);

/// <summary>What the officer and the recipients do around an incident: open one, read its report, release or discard a halted chunk, confirm a deletion.</summary>
public sealed class IncidentService(
    IncidentStore incidents,
    NoticeStore notices,
    JobStore jobs,
    LedgerStore ledger,
    BlobStore blobs,
    IMailSender sender,
    IOptions<NoticeOptions> noticeOptions,
    TimeProvider time,
    ILogger<IncidentService> logger)
{
    /// <summary>
    /// Opens an incident for a job that was already sent (customers phoned in). Its exposures are what the ledger
    /// recorded as misdirected; the next notice tick tells those people.
    /// </summary>
    public async Task<IncidentEntity> OpenAsync(string jobId, string reason, CancellationToken ct)
    {
        var job = await jobs.GetJobAsync(jobId, ct);
        var deliveries = await ledger.DeliveriesAsync(jobId, ct);
        if (job is null && deliveries.Count == 0)
        {
            throw new KeyNotFoundException($"no job '{jobId}' in the ledger");
        }

        var now = time.GetUtcNow();
        var incident = await incidents.OpenAsync(new IncidentEntity
        {
            PartitionKey = StorageKeys.IncidentFor(jobId),
            JobId = jobId,
            Source = "operator",
            Reason = reason,
            OpenedAt = now,
            FirstSentAt = job?.FirstSentAt,
        }, ct);
        var exposures = deliveries.Where(d => d.Misdirected).Select(InspectBatchHandler.ToExposure).ToList();
        await incidents.AddExposuresAsync(incident.PartitionKey, exposures, ct);
        logger.LogWarning("Incident {IncidentId} opened by an operator for job {JobId}: {Exposures} misdirected deliveries in the ledger", incident.PartitionKey, jobId, exposures.Count);
        return incident;
    }

    public async Task<IncidentReport?> ReportAsync(string incidentId, CancellationToken ct)
    {
        var incident = await incidents.GetAsync(incidentId, ct);
        if (incident is null)
        {
            return null;
        }

        var exposures = await incidents.ExposuresAsync(incidentId, ct);
        var findings = await incidents.FindingsAsync(incidentId, ct);
        var sent = await notices.ListAsync(incidentId, ct);
        var chunks = await jobs.ListChunksAsync(incident.JobId, ct);
        var options = noticeOptions.Value;

        var timeline = new List<TimelineEvent>();
        if (incident.FirstSentAt is { } first)
        {
            timeline.Add(new(first, TimelineEvents.FirstSend, $"job {incident.JobId}"));
        }

        timeline.AddRange(findings.Select(f => new TimelineEvent(f.DetectedAt, TimelineEvents.Detection, $"chunk {f.Chunk}")));
        if (incident.HaltedAt is { } halted)
        {
            timeline.Add(new(halted, TimelineEvents.Halt, $"{chunks.Count(c => c.State == ChunkStates.Quarantined)} chunks quarantined"));
        }

        if (incident.Source != "detector")
        {
            timeline.Add(new(incident.OpenedAt, TimelineEvents.Opened, incident.Source));
        }

        timeline.AddRange(sent.Where(n => n.SentAt is not null).GroupBy(n => (n.WaveId, n.Kind))
            .Select(w => new TimelineEvent(w.Min(n => n.SentAt!.Value), TimelineEvents.NoticeWave, $"{w.Count()} × {w.Key.Kind}")));
        timeline.AddRange(sent.Where(n => n.ConfirmedDeletedAt is not null)
            .Select(n => new TimelineEvent(n.ConfirmedDeletedAt!.Value, TimelineEvents.Confirmation, "1 recipient")));

        var categories = exposures.SelectMany(e => e.Categories.Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Distinct().Select(DataCategoryNames.FromId).OfType<DataCategory>().Order().ToArray();
        var subjects = exposures.Select(e => e.SubjectKey).Distinct().Count();
        var scope = new ReportScope(
            DataSubjects: subjects,
            WrongRecipients: exposures.Select(e => e.Recipient).Distinct().Count(),
            Exposures: exposures.Count,
            Categories: categories,
            ConfirmedDeletedUnread: sent.Count(n => n.ConfirmedDeletedAt is not null),
            UnreachableSubjects: exposures.Where(e => e.SubjectEmail is null).Select(e => e.SubjectKey).Distinct().Count(),
            ChunksSent: chunks.Count(c => c.State is ChunkStates.Sent or ChunkStates.Unconfirmed),
            ChunksQuarantined: chunks.Count(c => c.State == ChunkStates.Quarantined));

        var cause = findings.OrderBy(f => f.Chunk).SelectMany(f =>
            (JsonSerializer.Deserialize<List<Finding>>(f.FindingsJson, InspectBatchHandler.JsonOptions) ?? [])
                .Select(x => new ReportFinding(f.Chunk, x.Rule, x.Personalization, x.People, x.Categories, x.Detail)))
            .ToList();

        NoticeCountsFor(NoticeDispatcher.Apology, exposures.Where(e => e.SubjectEmail is not null).Select(e => e.SubjectEmail).Distinct().Count(), out var apologiesSent, out var apologiesPending);
        NoticeCountsFor(NoticeDispatcher.DeleteRequest, scope.WrongRecipients, out var deletesSent, out var deletesPending);
        var progress = new NoticeProgress(apologiesSent, apologiesPending, deletesSent, deletesPending, sent.Count(n => n.State == NoticeStates.Unconfirmed));

        void NoticeCountsFor(string kind, int people, out int done, out int pending)
        {
            done = sent.Count(n => n.Kind == kind && n.State == NoticeStates.Sent);
            pending = people - done - sent.Count(n => n.Kind == kind && n.State == NoticeStates.Unconfirmed);
        }

        return new IncidentReport(incidentId, incident.JobId, incident.Source, incident.Status, incident.Reason,
            options.Organization, incident.ContactEmail ?? options.ContactEmail, timeline, scope, cause, progress);
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
            var row = await notices.GetAsync(claims.IncidentId, $"{NoticeDispatcher.DeleteRequest}-{claims.RecipientKey}", ct);
            if (row is null)
            {
                return (false, "unknown notice");
            }

            if (row.ConfirmedDeletedAt is not null)
            {
                return (true, "already confirmed");
            }

            row.ConfirmedDeletedAt = time.GetUtcNow();
            if (await notices.TryUpdateAsync(row, ct))
            {
                return (true, "confirmed");
            }
        }
    }

    /// <summary>Re-inspects a quarantined chunk with the operator's policy; sends it only if it now passes.</summary>
    public async Task<ChunkDecision> ReleaseAsync(string jobId, int chunkNumber, BatchPolicy? operatorPolicy, CancellationToken ct)
    {
        var (chunk, body, error) = await QuarantinedAsync(jobId, chunkNumber, ct);
        if (chunk is null)
        {
            return new ChunkDecision(false, error!);
        }

        var mail = BatchParser.Parse(body!).Mail;
        var policy = operatorPolicy ?? BatchPolicy.Default;
        var verdict = LeakDetector.Scan(mail, policy);
        if (verdict.Halt)
        {
            return new ChunkDecision(false, "still halts with this policy; not sent", verdict.Findings);
        }

        chunk.State = ChunkStates.Sending;
        chunk.Reason = "released by an operator";
        if (!await jobs.TryUpdateChunkAsync(chunk, ct))
        {
            return new ChunkDecision(false, "the chunk changed meanwhile (released or discarded by someone else)");
        }

        await sender.SendAsync(body!, ct);
        var sentAt = time.GetUtcNow();
        await ledger.RecordDeliveriesAsync(jobId, chunkNumber, verdict.Deliveries, sentAt, ct);
        chunk.State = ChunkStates.Sent;
        chunk.SentAt = sentAt;
        await jobs.SaveChunkAsync(chunk, ct);
        logger.LogWarning("Job {JobId} chunk {Chunk} released by an operator and sent", jobId, chunkNumber);
        return new ChunkDecision(true, "released and sent");
    }

    public async Task<ChunkDecision> DiscardAsync(string jobId, int chunkNumber, CancellationToken ct)
    {
        var (chunk, _, error) = await QuarantinedAsync(jobId, chunkNumber, ct);
        if (chunk is null)
        {
            return new ChunkDecision(false, error!);
        }

        chunk.State = ChunkStates.Discarded;
        chunk.Reason = "discarded by an operator";
        return await jobs.TryUpdateChunkAsync(chunk, ct)
            ? new ChunkDecision(true, "discarded; the quarantined body is kept for the record")
            : new ChunkDecision(false, "the chunk changed meanwhile");
    }

    private async Task<(ChunkEntity? Chunk, string? Body, string? Error)> QuarantinedAsync(string jobId, int chunkNumber, CancellationToken ct)
    {
        var chunk = await jobs.GetChunkAsync(jobId, chunkNumber, ct);
        if (chunk is null)
        {
            return (null, null, $"no chunk {chunkNumber} of job '{jobId}'");
        }

        if (chunk.State != ChunkStates.Quarantined || chunk.QuarantineBlob is null)
        {
            return (null, null, $"chunk {chunkNumber} of job '{jobId}' is {chunk.State}, not quarantined");
        }

        var body = await blobs.ReadQuarantinedAsync(chunk.QuarantineBlob[(chunk.QuarantineBlob.IndexOf('/') + 1)..], ct);
        return body is null ? (null, null, "the quarantined body is missing") : (chunk, body, null);
    }
}
