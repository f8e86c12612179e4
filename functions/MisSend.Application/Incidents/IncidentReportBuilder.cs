using MisSend.Application.Model;
using MisSend.Core;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Reports;

namespace MisSend.Application.Incidents;

/// <summary>
/// The one place where an incident's records become its <see cref="IncidentReport"/>: every fact is read from a
/// record, and what the records cannot tell yet (a chunk whose send is unknown, a scope not declared) stays unknown.
/// </summary>
public static class IncidentReportBuilder
{
    public static IncidentReport Build(
        IncidentSnapshot snapshot,
        IReadOnlyList<ChunkFindings> findings,
        IReadOnlyList<NoticeRecord> notices,
        IReadOnlyList<WaveRecord> waves,
        IReadOnlyList<IncidentEvent> events,
        IReadOnlyList<NotMineReport> recipientReports,
        ReporterDetails reporter,
        DateTimeOffset now)
    {
        var incident = snapshot.Incident;
        var detected = findings.Count > 0 ? findings.Min(f => f.DetectedAt) : (DateTimeOffset?)null;
        var scope = ReportedScope(snapshot);
        var becameLeak = incident.KindHistory.FirstOrDefault(k => k.To != IncidentKind.NearMiss)?.At;
        return new IncidentReport(
            incident.IncidentId,
            incident.JobId,
            incident.Kind,
            incident.Source,
            // An operator's words are quoted; a recipient's report is said in the report's own words.
            OpenedReason: incident.Source == IncidentSource.Operator ? incident.Reason : null,
            GeneratedAt: now,
            OccurredAt: incident.Kind == IncidentKind.NearMiss ? detected ?? incident.OpenedAt : FirstSend(snapshot),
            AwareAt: becameLeak ?? detected ?? incident.OpenedAt,
            Reporter: Completed(reporter),
            KindHistory: incident.KindHistory,
            Timeline: Timeline(snapshot, findings, notices, waves, events, recipientReports),
            Scope: scope,
            Prevented: Prevented(findings),
            Findings: findings.OrderBy(f => f.Chunk)
                .SelectMany(f => f.Findings.Select(x => new ReportFinding(f.Chunk, x.Rule, x.Personalization, x.People, x.Categories)))
                .ToList(),
            Chunks: new ChunkProgress(
                snapshot.Job?.ChunkCount is > 0 and var total ? total : null,
                Count(snapshot.Chunks, ChunkState.Sent),
                Count(snapshot.Chunks, ChunkState.Sending, ChunkState.Unknown),
                Count(snapshot.Chunks, ChunkState.Quarantined),
                Count(snapshot.Chunks, ChunkState.Cancelled),
                Count(snapshot.Chunks, ChunkState.Discarded)),
            Notices: Progress(snapshot.Scope, notices),
            Records: incident.Records,
            Unsettled: Unsettled(snapshot.Attribution),
            RecipientReports: recipientReports.Count == 0 ? null : new RecipientReportSummary(
                recipientReports.Count,
                NotMinePartCounts.Of(recipientReports.Select(r => (IReadOnlyCollection<NotMinePart>)r.Parts)),
                recipientReports.Min(r => r.ReportedAt),
                recipientReports.Max(r => r.ReportedAt)),
            Dismissal: incident.Status == IncidentStatus.Dismissed && events.LastOrDefault(e => e.Kind == IncidentEventKind.ReportDismissed) is { } dismissed
                ? new ReportDismissal(dismissed.At, OperatorAction.ActorOf(dismissed.Who), dismissed.Reason ?? "")
                : null);
    }

    /// <summary>
    /// What reached whom: nothing for a near miss; the reached exposures of a leak; a reported incident's declared
    /// scope, or null (under investigation) until one is declared.
    /// </summary>
    private static ReportScope? ReportedScope(IncidentSnapshot snapshot)
    {
        if (snapshot.Incident.Kind == IncidentKind.NearMiss || snapshot.Scope is not { IsEmpty: false } s)
        {
            return null;
        }

        return new ReportScope(s.Basis, s.Subjects.Count, s.Recipients.Count, s.Exposures, s.Categories,
            s.Subjects.Count(x => x.Subject.Email is null), s.Declarations.Select(d => d.Summary()).ToArray());
    }

    /// <summary>When the first mail that carried someone's data to someone else went out; null when the records do not say.</summary>
    private static DateTimeOffset? FirstSend(IncidentSnapshot snapshot) =>
        snapshot.Scope is { Subjects.Count: > 0 } s ? s.Subjects.Min(x => x.FirstSentAt) : snapshot.Job?.FirstSentAt;

    private static PreventedExposure? Prevented(IReadOnlyList<ChunkFindings> findings)
    {
        if (findings.Count == 0 || findings.Any(f => f.PreventedSubjects is null || f.PreventedRecipients is null))
        {
            return null;
        }

        return new PreventedExposure(findings.Sum(f => f.PreventedSubjects), findings.Sum(f => f.PreventedRecipients),
            findings.SelectMany(f => f.Findings).SelectMany(f => f.Categories).Distinct().Order().ToArray());
    }

    /// <summary>Chunks whose send cannot be known yet and the exposures that hang on them; null when everything is settled.</summary>
    private static UnsettledExposure? Unsettled(Attribution attribution)
    {
        var pending = attribution.Pending;
        var chunks = attribution.InFlight.Select(c => c.Chunk).Concat(pending.Select(e => e.Chunk)).Distinct().Order().ToArray();
        return chunks.Length == 0 ? null : new UnsettledExposure(chunks,
            pending.Select(e => e.SubjectKey).Distinct().Count(), pending.Select(e => e.Recipient).Distinct().Count(), pending.Count);
    }

    private static NoticeProgress Progress(IncidentScope? scope, IReadOnlyList<NoticeRecord> notices)
    {
        NoticeCounts Counts(NoticeKind kind, int due)
        {
            var rows = notices.Where(n => n.Kind == kind).ToList();
            var (sent, unknown, failed) = (rows.Count(n => n.State == NoticeState.Sent), rows.Count(n => n.State == NoticeState.Unknown), rows.Count(n => n.State == NoticeState.Failed));

            // Due and not yet sent: rows being sent or to be sent again, and people the scope names who have no row yet.
            return new NoticeCounts(sent, Math.Max(0, Math.Max(due, rows.Count) - sent - unknown - failed), unknown, failed);
        }

        var apologiesDue = scope?.Subjects.Select(s => s.Subject.Email).OfType<string>().Distinct().Count() ?? 0;
        return new NoticeProgress(
            Counts(NoticeKind.Apology, apologiesDue),
            Counts(NoticeKind.DeleteRequest, scope?.Recipients.Count ?? 0),
            notices.Count(n => n.ConfirmedDeletedAt is not null));
    }

    private static List<TimelineEvent> Timeline(IncidentSnapshot snapshot, IReadOnlyList<ChunkFindings> findings,
        IReadOnlyList<NoticeRecord> notices, IReadOnlyList<WaveRecord> waves, IReadOnlyList<IncidentEvent> events, IReadOnlyList<NotMineReport> recipientReports)
    {
        var (incident, job, chunks) = (snapshot.Incident, snapshot.Job, snapshot.Chunks);
        var timeline = new List<TimelineEvent>();
        timeline.AddRange(chunks.Where(c => c.SentAt is not null && c.State == ChunkState.Sent)
            .Select(c => new TimelineEvent(c.SentAt!.Value, TimelineEventKind.ChunkSent, Actor.System, Chunk: c.Chunk, Count: c.Recipients)));
        timeline.AddRange(findings.Select(f => new TimelineEvent(f.DetectedAt, TimelineEventKind.Detected, Actor.System, Chunk: f.Chunk)));
        if (events.FirstOrDefault(e => e.Kind == IncidentEventKind.Halted) is { } halt)
        {
            timeline.Add(new(job?.HaltedAt ?? halt.At, TimelineEventKind.Halted, OperatorAction.ActorOf(halt.Who), Count: Count(chunks, ChunkState.Quarantined, ChunkState.Discarded)));
        }

        if (incident.Source != IncidentSource.Detector)
        {
            timeline.Add(new(incident.OpenedAt, TimelineEventKind.IncidentOpened, incident.KindHistory[0].By));
        }

        timeline.AddRange(incident.KindHistory.Skip(1).Select(k => new TimelineEvent(k.At, TimelineEventKind.KindChanged, k.By, KindTo: k.To)));

        // Every declaration, also those a later one replaced before any notice went out: none is dropped silently.
        foreach (var e in events.Where(e => e.Kind == IncidentEventKind.ScopeDeclared))
        {
            StoredName.TryParse<ScopeDeclarationKind>(e.Detail.Split(' ')[0], out var declared);
            timeline.Add(new(e.At, TimelineEventKind.ScopeDeclared, OperatorAction.ActorOf(e.Who), Declaration: declared));
        }

        timeline.AddRange(waves.Select(w => w.State switch
        {
            NoticeState.Sent when w.SentAt is { } at => new TimelineEvent(at, TimelineEventKind.NoticeWave, Actor.System, Count: w.Count, Notice: w.Kind),
            NoticeState.Failed => new TimelineEvent(w.AttemptedAt, TimelineEventKind.NoticeWaveFailed, Actor.System, Count: w.Count, Notice: w.Kind),
            NoticeState.Unknown => new TimelineEvent(w.AttemptedAt, TimelineEventKind.NoticeWaveUnknown, Actor.System, Count: w.Count, Notice: w.Kind),
            _ => null,
        }).OfType<TimelineEvent>());

        // One line per day of confirmations: thousands of recipients may confirm.
        timeline.AddRange(notices.Where(n => n.ConfirmedDeletedAt is not null)
            .GroupBy(n => n.ConfirmedDeletedAt!.Value.ToOffset(Japan).Date)
            .Select(g => new TimelineEvent(g.Min(n => n.ConfirmedDeletedAt!.Value), TimelineEventKind.DeletedUnreadConfirmed, Actor.Recipient, Count: g.Count())));

        // One line per day of "not mine" reports, like the confirmations.
        timeline.AddRange(recipientReports
            .GroupBy(r => r.ReportedAt.ToOffset(Japan).Date)
            .Select(g => new TimelineEvent(g.Min(r => r.ReportedAt), TimelineEventKind.NotMineReported, Actor.Recipient, Count: g.Count())));

        if (incident.Records.PublishedAt is { } published)
        {
            timeline.Add(new(published, TimelineEventKind.Published, RecordedBy(events, OperatorRecordsChange.PublishedField)));
        }

        if (incident.Records.ReportedToRegulatorAt is { } reported)
        {
            timeline.Add(new(reported, TimelineEventKind.RegulatorReported, RecordedBy(events, OperatorRecordsChange.ReportedToRegulatorField)));
        }

        // What the pipeline could not know, what failed, and what operators decided, with who and when. A chunk whose
        // answer was lost before the incident existed has no event: its record says when it was attempted.
        var recorded = events.Where(e => EventKinds.ContainsKey(e.Kind))
            .Select(e => new TimelineEvent(e.At, EventKinds[e.Kind], OperatorAction.ActorOf(e.Who), Chunk: e.Chunk))
            .DistinctBy(e => (e.Kind, e.Chunk, e.At))
            .ToList();
        recorded.AddRange(chunks.Where(c => c.State == ChunkState.Unknown && c.AttemptedAt is not null
                && !recorded.Any(e => e.Kind == TimelineEventKind.ChunkUnknown && e.Chunk == c.Chunk))
            .Select(c => new TimelineEvent(c.AttemptedAt!.Value, TimelineEventKind.ChunkUnknown, Actor.System, Chunk: c.Chunk)));
        timeline.AddRange(recorded);
        return timeline;
    }

    private static readonly Dictionary<IncidentEventKind, TimelineEventKind> EventKinds = new()
    {
        [IncidentEventKind.ChunkUnknown] = TimelineEventKind.ChunkUnknown,
        [IncidentEventKind.ChunkResolved] = TimelineEventKind.ChunkConfirmedSent,
        [IncidentEventKind.ChunkNotAccepted] = TimelineEventKind.ChunkConfirmedNotSent,
        [IncidentEventKind.ChunkFailed] = TimelineEventKind.ChunkNotSent,
        [IncidentEventKind.CancelDone] = TimelineEventKind.CancelDone,
        [IncidentEventKind.CancelTooLate] = TimelineEventKind.CancelTooLate,
        [IncidentEventKind.ReleaseDecision] = TimelineEventKind.ReleaseDecided,
        [IncidentEventKind.ChunkReleased] = TimelineEventKind.ChunkReleased,
        [IncidentEventKind.ChunkDiscarded] = TimelineEventKind.ChunkDiscarded,
        [IncidentEventKind.ReportDismissed] = TimelineEventKind.ReportDismissed,
    };

    /// <summary>Who last recorded <paramref name="field"/>; the records name nobody before the first entry.</summary>
    private static Actor RecordedBy(IReadOnlyList<IncidentEvent> events, string field) =>
        events.LastOrDefault(e => e.Kind == IncidentEventKind.RecordsUpdated && e.Detail.Contains(field, StringComparison.Ordinal)) is { } e
            ? OperatorAction.ActorOf(e.Who)
            : new Actor(ActorRole.Operator);

    /// <summary>Settings left empty are missing, and the report marks them to be completed.</summary>
    private static ReporterDetails Completed(ReporterDetails r)
    {
        static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
        return new ReporterDetails
        {
            LegalName = Given(r.LegalName),
            Address = Given(r.Address),
            Representative = Given(r.Representative),
            DataProtectionOfficer = Given(r.DataProtectionOfficer),
            PersonInCharge = Given(r.PersonInCharge),
            Phone = Given(r.Phone),
            Email = Given(r.Email),
        };
    }

    private static int Count(IReadOnlyList<ChunkRecord> chunks, params ChunkState[] states) => chunks.Count(c => states.Contains(c.State));

    /// <summary>Japan Standard Time (no daylight saving): the day a confirmation is counted under.</summary>
    private static readonly TimeSpan Japan = TimeSpan.FromHours(9);
}
