using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.Core;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Reports;

namespace MisSend.Application.Incidents;

public sealed record ChunkDecision(bool Done, string Message, IReadOnlyList<Finding>? Findings = null);

/// <summary>
/// An operator's statement of who received whose data, as given: every recipient got everyone's data, rows shifted
/// by <see cref="Shift"/> (optionally only some <see cref="Categories"/>), or a CSV list (<see cref="RecipientSubjectCsv"/>).
/// Exactly one of the three.
/// </summary>
public sealed record ScopeRequest(bool Everyone = false, int? Shift = null, IReadOnlyList<DataCategory>? Categories = null, byte[]? Csv = null)
{
    /// <summary>Data categories by their stable ids (<c>amount</c>, <c>bank-account</c>, …); null when none are given.</summary>
    public static (IReadOnlyList<DataCategory>? Categories, string? Problem) ParseCategories(IEnumerable<string>? ids)
    {
        if (ids is null)
        {
            return (null, null);
        }

        var given = ids.Select(id => id.Trim()).Where(id => id.Length > 0).ToList();
        var unknown = given.Where(id => DataCategoryNames.FromId(id) is null).ToList();
        return unknown.Count > 0
            ? (null, $"unknown data categories: {string.Join(", ", unknown)} (known: {string.Join(", ", Enum.GetValues<DataCategory>().Select(c => c.Id()))})")
            : (given.Select(id => DataCategoryNames.FromId(id)!.Value).Distinct().Order().ToArray(), null);
    }
}

public enum ScopeOutcome
{
    Declared,
    NotFound,

    /// <summary>Not a reported incident: a detector incident's scope comes from the exposure ledger.</summary>
    NotReported,

    /// <summary>The request or the list is wrong, or names people the job's deliveries do not: see the errors (with lines).</summary>
    Invalid,
}

/// <param name="Change">What the declaration changed (first, replaced before any notice, or extended after): the operator sees it.</param>
public sealed record ScopeDeclarationResult(ScopeOutcome Outcome, IReadOnlyList<ScopeError> Errors, ScopeChange? Change = null, IncidentScope? Scope = null, string? Message = null);

/// <summary>What an operator records for the report; null fields are left as they were.</summary>
public sealed record OperatorRecordsChange(
    Answer? UnlawfulPurpose = null,
    Answer? SecondaryHarm = null,
    string? SecondaryHarmNote = null,
    string? CauseNote = null,
    DateTimeOffset? PublishedAt = null,
    DateTimeOffset? ReportedToRegulatorAt = null,
    string? Remarks = null)
{
    public const int MaxNoteLength = 2000;

    /// <summary>The stored names of the fields this change sets, as the incident's record lists them.</summary>
    public IReadOnlyList<string> Fields() =>
    [
        .. UnlawfulPurpose is null ? [] : new[] { "unlawful-purpose" },
        .. SecondaryHarm is null ? [] : new[] { "secondary-harm" },
        .. SecondaryHarmNote is null ? [] : new[] { "secondary-harm-note" },
        .. CauseNote is null ? [] : new[] { "cause-note" },
        .. PublishedAt is null ? [] : new[] { PublishedField },
        .. ReportedToRegulatorAt is null ? [] : new[] { ReportedToRegulatorField },
        .. Remarks is null ? [] : new[] { "remarks" },
    ];

    public const string PublishedField = "published-at";
    public const string ReportedToRegulatorField = "reported-to-regulator-at";

    public string? Problem() =>
        Fields().Count == 0 ? "nothing to record"
        : new[] { SecondaryHarmNote, CauseNote, Remarks }.Any(n => n is { Length: > MaxNoteLength }) ? $"a note is longer than {MaxNoteLength} characters"
        : null;

    public OperatorRecords ApplyTo(OperatorRecords r) => new(
        UnlawfulPurpose ?? r.UnlawfulPurpose,
        SecondaryHarm ?? r.SecondaryHarm,
        SecondaryHarmNote ?? r.SecondaryHarmNote,
        CauseNote ?? r.CauseNote,
        PublishedAt ?? r.PublishedAt,
        ReportedToRegulatorAt ?? r.ReportedToRegulatorAt,
        Remarks ?? r.Remarks);
}

/// <summary>
/// What the officer and the recipients do around an incident: open one, declare its scope, record what only a person
/// knows, read its report, release or discard a halted chunk, confirm a deletion.
/// </summary>
public sealed class IncidentService(
    IIncidentStore incidents,
    INoticeStore notices,
    IJobStore jobs,
    IExposureLedger ledger,
    IBodyStore bodies,
    ChunkPipeline pipeline,
    IncidentReader reader,
    IncidentRecorder recorder,
    IOptions<NoticeOptions> noticeOptions,
    IOptions<ReporterDetails> reporter,
    TimeProvider time,
    ILogger<IncidentService> logger)
{
    /// <summary>
    /// Opens an incident for a job that was already sent (customers phoned in). It is <see cref="IncidentKind.Reported"/>:
    /// its scope is under investigation, and nobody is notified, until an operator declares it
    /// (<see cref="DeclareScopeAsync"/>). An incident the job has already is returned.
    /// </summary>
    public async Task<IncidentRecord> OpenAsync(string jobId, string reason, OperatorAction who, CancellationToken ct)
    {
        var job = await jobs.GetJobAsync(jobId, ct);
        if (job is null && (await ledger.DeliveriesAsync(jobId, ct)).Count == 0)
        {
            throw new KeyNotFoundException($"no job '{jobId}' in the ledger");
        }

        var now = time.GetUtcNow();
        var incidentId = Keys.IncidentFor(jobId);
        var opened = await incidents.TryAddAsync(IncidentRecord.Open(incidentId, jobId, IncidentSource.Operator, personalDataLeft: false, who, now, reason), ct);
        if (opened is null)
        {
            return (await incidents.GetAsync(incidentId, ct))!;
        }

        await recorder.RecordAsync(incidentId, IncidentEventKind.Opened, who, StoredName.Of(IncidentSource.Operator), ct: ct);
        logger.LogWarning("Incident {IncidentId} opened by an operator for job {JobId}: scope under investigation until declared", incidentId, jobId);
        return opened;
    }

    /// <summary>
    /// Declares who received whose data in a reported incident. The exposures are computed from the ledger's deliveries
    /// of the job that went out; people the job did not deliver to (or whose data it did not carry) are rejected with
    /// the line that names them. Before any notice went out the declaration replaces the scope; afterwards it is added
    /// to it, and the result says which people it added, dropped or kept. The notices follow on the next tick.
    /// </summary>
    public async Task<ScopeDeclarationResult> DeclareScopeAsync(string incidentId, ScopeRequest request, OperatorAction who, CancellationToken ct)
    {
        var (declaration, invalid) = Declaration(request, who.Actor, time.GetUtcNow());
        if (declaration is null)
        {
            return new ScopeDeclarationResult(ScopeOutcome.Invalid, invalid, Message: invalid.Count == 0 ? "give exactly one of: everyone, shifted, a CSV list" : null);
        }

        while (true)
        {
            var incident = await incidents.GetAsync(incidentId, ct);
            if (incident is null)
            {
                return new ScopeDeclarationResult(ScopeOutcome.NotFound, [], Message: $"no incident '{incidentId}'");
            }

            if (incident.Kind != IncidentKind.Reported)
            {
                return new ScopeDeclarationResult(ScopeOutcome.NotReported, [],
                    Message: $"incident {incidentId} is a {StoredName.Of(incident.Kind)} found by the detector: its scope comes from the exposure ledger");
            }

            var job = await jobs.GetJobAsync(incident.JobId, ct);
            var chunks = await jobs.ListChunksAsync(incident.JobId, ct);
            var deliveries = await ledger.DeliveriesAsync(incident.JobId, ct);
            var sent = IncidentScopes.SentDeliveries(deliveries, chunks, job);
            var previous = incident.Declarations.Count == 0 ? null : ScopeCalculator.Compute(sent, incident.Declarations).Scope;
            var rows = await notices.ListAsync(incidentId, ct);
            var notified = new NotifiedPeople(
                rows.Where(r => r.Kind == NoticeKind.Apology && r.SubjectKey is not null).Select(r => r.SubjectKey!).ToHashSet(),
                rows.Where(r => r.Kind == NoticeKind.DeleteRequest).Select(r => r.Email).ToHashSet());
            var result = ScopeRedeclaration.Apply(sent, previous, notified, declaration, incident.NoticesStarted);
            if (result.Scope is not { } scope)
            {
                return new ScopeDeclarationResult(ScopeOutcome.Invalid, result.Errors);
            }

            // Conditional on the incident as read: a dispatcher that starts notifying meanwhile makes this retry as an addition.
            if (await incidents.TryReplaceAsync(incident with { Declarations = scope.Declarations, Status = IncidentStatus.Open }, ct) is null)
            {
                continue;
            }

            var change = result.Change!;
            var declared = IncidentScopes.FromDeclared(scope, sent, deliveries, chunks);
            await recorder.RecordAsync(incidentId, IncidentEventKind.ScopeDeclared, who,
                $"{StoredName.Of(declaration.Kind)} ({StoredName.Of(change.Mode)}): {declared.Subjects.Count} data subjects, {declared.Recipients.Count} wrong recipients, "
                + $"{declared.Exposures} exposures; added {change.Added.SubjectKeys.Count} subjects and {change.Added.Recipients.Count} recipients, "
                + $"removed {change.Removed.SubjectKeys.Count} and {change.Removed.Recipients.Count}, kept from earlier {change.KeptFromEarlier.SubjectKeys.Count} and {change.KeptFromEarlier.Recipients.Count}",
                count: declared.Subjects.Count, ct: ct);
            logger.LogWarning("Incident {IncidentId}: scope declared ({Kind}, {Mode}): {Subjects} data subjects, {Recipients} wrong recipients",
                incidentId, StoredName.Of(declaration.Kind), StoredName.Of(change.Mode), declared.Subjects.Count, declared.Recipients.Count);
            return new ScopeDeclarationResult(ScopeOutcome.Declared, [], change, declared);
        }
    }

    /// <summary>Records what only a person can know (for the report), with who recorded it; null for an unknown incident.</summary>
    public async Task<(IncidentRecord? Incident, string? Problem)> UpdateRecordsAsync(string incidentId, OperatorRecordsChange change, OperatorAction who, CancellationToken ct)
    {
        if (change.Problem() is { } problem)
        {
            return (null, problem);
        }

        var (incident, changed) = await recorder.UpdateAsync(incidentId, current => current with { Records = change.ApplyTo(current.Records) }, ct);
        if (changed)
        {
            await recorder.RecordAsync(incidentId, IncidentEventKind.RecordsUpdated, who, string.Join(", ", change.Fields()), ct: ct);
        }

        return (incident, null);
    }

    /// <summary>The incident's exposures as its records show them now; null for an unknown incident.</summary>
    public Task<IncidentSnapshot?> SnapshotAsync(string incidentId, CancellationToken ct) => reader.ReadAsync(incidentId, ct);

    public async Task<IncidentReport?> ReportAsync(string incidentId, CancellationToken ct)
    {
        if (await reader.ReadAsync(incidentId, ct) is not { } snapshot)
        {
            return null;
        }

        // The report tells the kind the records show now, even before the timer's next tick records a change.
        snapshot = snapshot with { Incident = await recorder.ReconcileKindAsync(snapshot.Incident, snapshot.Attribution, OperatorAction.Timer, ct) };

        return IncidentReportBuilder.Build(snapshot,
            await incidents.FindingsAsync(incidentId, ct),
            await notices.ListAsync(incidentId, ct),
            await notices.ListWavesAsync(incidentId, ct),
            await incidents.EventsAsync(incidentId, ct),
            await incidents.NotMineReportsAsync(incidentId, ct),
            reporter.Value,
            time.GetUtcNow());
    }

    /// <summary>A wrong recipient confirms "deleted unread" through the signed link. Idempotent.</summary>
    public async Task<(bool Ok, string Message)> ConfirmDeletedAsync(string? token, CancellationToken ct)
    {
        var (claims, failure) = ConfirmationToken.Validate(token, noticeOptions.Value.SigningKeyBytes(), time.GetUtcNow());
        if (claims is null)
        {
            return (false, StoredName.Of(failure!.Value));
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

    /// <summary>The declaration a request stands for, or why it is none.</summary>
    private static (ScopeDeclaration? Declaration, IReadOnlyList<ScopeError> Errors) Declaration(ScopeRequest request, Actor by, DateTimeOffset at)
    {
        var given = (request.Everyone ? 1 : 0) + (request.Shift is null ? 0 : 1) + (request.Csv is null ? 0 : 1);
        if (given != 1 || (request.Categories is not null && request.Shift is null))
        {
            return (null, []);
        }

        if (request.Everyone)
        {
            return (ScopeDeclaration.Everyone(by, at), []);
        }

        if (request.Shift is { } k)
        {
            return (ScopeDeclaration.Shifted(k, by, at, request.Categories is { Count: > 0 } c ? c.Distinct().Order().ToArray() : null), []);
        }

        var csv = RecipientSubjectCsv.Parse(request.Csv!);
        return csv.Errors.Count > 0 ? (null, csv.Errors) : (ScopeDeclaration.List(csv.Pairs, by, at), []);
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
                $"decided to release chunk {chunkNumber} of the halted job", chunkNumber, Reason: who.Reason), ct);
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
                $"chunk {chunkNumber} discarded", chunkNumber, Reason: who.Reason), ct);
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
