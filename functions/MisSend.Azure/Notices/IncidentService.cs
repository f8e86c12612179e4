using System.Text.Json;
using MisSend.Azure.Configuration;
using MisSend.Azure.Pipeline;
using MisSend.Azure.Sending;
using MisSend.Azure.Storage;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
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
    IOptions<ReporterDetails> reporter,
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

    /// <summary>
    /// The report model from today's records. Adapter until the application layer builds it: the kind is derived
    /// (detector with exposures: leak; detector without: near miss; otherwise reported, under investigation while the
    /// ledger names nobody), and what the records do not hold stays unknown.
    /// </summary>
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
        var job = await jobs.GetJobAsync(incident.JobId, ct);

        var source = StoredName.Parse<IncidentSource>(incident.Source);
        var kind = Incident.KindAtOpening(source, exposures.Count > 0);
        var opener = source == IncidentSource.Detector ? Actor.System : new Actor(ActorRole.Operator); // the records do not say which operator
        var quarantined = chunks.Count(c => c.State == ChunkStates.Quarantined);

        var timeline = new List<TimelineEvent>();
        timeline.AddRange(chunks.Where(c => c.SentAt is not null).Select(c => new TimelineEvent(c.SentAt!.Value, TimelineEventKind.ChunkSent, Actor.System, Chunk: int.Parse(c.RowKey[(c.RowKey.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture), Count: c.Recipients)));
        timeline.AddRange(findings.Select(f => new TimelineEvent(f.DetectedAt, TimelineEventKind.Detected, Actor.System, Chunk: f.Chunk)));
        if (incident.HaltedAt is { } halted)
        {
            timeline.Add(new(halted, TimelineEventKind.Halted, Actor.System, Count: quarantined));
        }

        if (source != IncidentSource.Detector)
        {
            timeline.Add(new(incident.OpenedAt, TimelineEventKind.IncidentOpened, opener));
        }

        timeline.AddRange(sent.Where(n => n.SentAt is not null).GroupBy(n => (n.WaveId, n.Kind))
            .Select(w => new TimelineEvent(w.Min(n => n.SentAt!.Value), TimelineEventKind.NoticeWave, Actor.System, Count: w.Count(), Notice: StoredName.Parse<NoticeKind>(w.Key.Kind))));
        timeline.AddRange(sent.Where(n => n.ConfirmedDeletedAt is not null)
            .Select(n => new TimelineEvent(n.ConfirmedDeletedAt!.Value, TimelineEventKind.DeletedUnreadConfirmed, Actor.Recipient, Count: 1)));

        var reported = findings.OrderBy(f => f.Chunk).SelectMany(f =>
            (JsonSerializer.Deserialize<List<Finding>>(f.FindingsJson, InspectBatchHandler.JsonOptions) ?? [])
                .Select(x => new ReportFinding(f.Chunk, x.Rule, x.Personalization, x.People, x.Categories)))
            .ToList();
        var scope = exposures.Count == 0 ? null : new ReportScope(
            ScopeBasis.Ledger,
            DataSubjects: exposures.Select(e => e.SubjectKey).Distinct().Count(),
            WrongRecipients: exposures.Select(e => e.Recipient).Distinct().Count(),
            Exposures: exposures.Count,
            Categories: Categories(exposures.Select(e => e.Categories)),
            SubjectsWithoutAddress: exposures.Where(e => e.SubjectEmail is null).Select(e => e.SubjectKey).Distinct().Count(),
            Declarations: []);
        var prevented = quarantined == 0 || reported.Count == 0 ? null
            : new PreventedExposure(null, reported.Max(f => f.People), reported.SelectMany(f => f.Categories).Distinct().Order().ToArray());

        var progress = new NoticeProgress(
            Counts(NoticeDispatcher.Apology, exposures.Where(e => e.SubjectEmail is not null).Select(e => e.SubjectEmail).Distinct().Count()),
            Counts(NoticeDispatcher.DeleteRequest, scope?.WrongRecipients ?? 0),
            sent.Count(n => n.ConfirmedDeletedAt is not null));

        NoticeCounts Counts(string noticeKind, int people)
        {
            var done = sent.Count(n => n.Kind == noticeKind && n.State == NoticeStates.Sent);
            var unknown = sent.Count(n => n.Kind == noticeKind && n.State == NoticeStates.Unconfirmed);
            return new NoticeCounts(done, Math.Max(0, people - done - unknown), unknown, 0);
        }

        var awareAt = findings.Count > 0 ? findings.Min(f => f.DetectedAt) : incident.OpenedAt;
        // A detector incident's reason is its rule ids, which the findings already carry.
        var openedReason = source == IncidentSource.Detector ? null : incident.Reason;
        return new IncidentReport(incidentId, incident.JobId, kind, source, openedReason,
            GeneratedAt: time.GetUtcNow(),
            OccurredAt: kind == IncidentKind.NearMiss ? awareAt : incident.FirstSentAt,
            AwareAt: awareAt,
            Reporter: reporter.Value,
            KindHistory: [new KindChange(null, kind, opener, incident.OpenedAt, openedReason ?? StoredName.Of(source))],
            Timeline: timeline,
            Scope: scope,
            Prevented: prevented,
            Findings: reported,
            Chunks: new ChunkProgress(job?.ChunkCount, chunks.Count(c => c.State == ChunkStates.Sent), chunks.Count(c => c.State == ChunkStates.Unconfirmed),
                quarantined, chunks.Count(c => c.State == ChunkStates.Cancelled), chunks.Count(c => c.State == ChunkStates.Discarded)),
            Notices: progress,
            Records: OperatorRecords.None);
    }

    private static DataCategory[] Categories(IEnumerable<string> ids) => ids
        .SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries))
        .Distinct().Select(DataCategoryNames.FromId).OfType<DataCategory>().Order().ToArray();

    /// <summary>A wrong recipient confirms "deleted unread" through the signed link. Idempotent.</summary>
    public async Task<(bool Ok, string Message)> ConfirmDeletedAsync(string? token, CancellationToken ct)
    {
        var (claims, error) = ConfirmationToken.Validate(token, noticeOptions.Value.SigningKeyBytes(), time.GetUtcNow());
        if (claims is null)
        {
            return (false, StoredName.Of(error!.Value));
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
