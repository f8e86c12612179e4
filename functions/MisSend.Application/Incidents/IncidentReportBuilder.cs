using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Core.Detection;
using MisSend.Core.Notices;
using MisSend.Core.Reports;

namespace MisSend.Application.Incidents;

/// <summary>The one place where an incident's records become its <see cref="IncidentReport"/>: every line is read from a record.</summary>
public static class IncidentReportBuilder
{
    public static IncidentReport Build(
        IncidentSnapshot snapshot,
        IReadOnlyList<ChunkFindings> findings,
        IReadOnlyList<NoticeRecord> notices,
        IReadOnlyList<WaveRecord> waves,
        IReadOnlyList<IncidentEvent> events,
        OrganizationOptions organization,
        string contactEmail)
    {
        var (incident, job, chunks, attribution) = snapshot;
        var reached = attribution.Reached;
        var timeline = new List<TimelineEvent>();
        if (job?.FirstSentAt is { } first)
        {
            timeline.Add(new(first, TimelineEvents.FirstSend, $"job {incident.JobId}"));
        }

        timeline.AddRange(findings.Select(f => new TimelineEvent(f.DetectedAt, TimelineEvents.Detection, $"chunk {f.Chunk}")));
        if (events.FirstOrDefault(e => e.Kind == IncidentEventKind.Halted) is { } halt)
        {
            timeline.Add(new(job?.HaltedAt ?? halt.At, TimelineEvents.Halt, $"{chunks.Count(c => c.State == ChunkState.Quarantined)} chunks quarantined"));
        }

        if (incident.Source != IncidentSource.Detector)
        {
            timeline.Add(new(incident.OpenedAt, TimelineEvents.Opened, StoredName.Of(incident.Source)));
        }

        timeline.AddRange(waves.Where(w => w.State == NoticeState.Sent && w.SentAt is not null)
            .Select(w => new TimelineEvent(w.SentAt!.Value, TimelineEvents.NoticeWave, $"{w.Count} × {w.Kind.Name()}")));
        timeline.AddRange(notices.Where(n => n.ConfirmedDeletedAt is not null)
            .Select(n => new TimelineEvent(n.ConfirmedDeletedAt!.Value, TimelineEvents.Confirmation, "1 recipient")));

        // What operators decided, what could not be known, and what failed, with who and when.
        timeline.AddRange(events.Where(e => Shown.Contains(e.Kind))
            .DistinctBy(e => (e.Kind, e.Chunk, e.Detail))
            .Select(e => new TimelineEvent(e.At, StoredName.Of(e.Kind), $"{e.Detail} [{e.Who}]")));
        timeline.AddRange(attribution.InFlight.Select(c => new TimelineEvent(c.AttemptedAt ?? incident.OpenedAt, StoredName.Of(c.State),
            $"chunk {c.Chunk} is {StoredName.Of(c.State)}: unknown yet whether it reached its {c.Recipients} recipients")));

        var scope = new ReportScope(
            DataSubjects: reached.Select(e => e.SubjectKey).Distinct().Count(),
            WrongRecipients: reached.Select(e => e.Recipient).Distinct().Count(),
            Exposures: reached.Count,
            Categories: reached.SelectMany(e => e.Categories).Distinct().Order().ToArray(),
            ConfirmedDeletedUnread: notices.Count(n => n.ConfirmedDeletedAt is not null),
            UnreachableSubjects: reached.Where(e => e.SubjectEmail is null).Select(e => e.SubjectKey).Distinct().Count(),
            ChunksSent: chunks.Count(c => c.State == ChunkState.Sent),
            ChunksQuarantined: chunks.Count(c => c.State == ChunkState.Quarantined));

        var cause = findings.OrderBy(f => f.Chunk)
            .SelectMany(f => f.Findings.Select(x => new ReportFinding(f.Chunk, x.Rule, x.Personalization, x.People, x.Categories, x.Detail)))
            .ToList();

        // Unknown (answer lost, not settled) and failed (refused by SendGrid) notices are not "sent" and not "pending":
        // the report shows them as unconfirmed, for an operator to check.
        int Count(NoticeKind kind, params NoticeState[] states) => notices.Count(n => n.Kind == kind && states.Contains(n.State));
        var apologiesDue = reached.Where(e => e.SubjectEmail is not null).Select(e => e.SubjectEmail).Distinct().Count();
        var apologiesSent = Count(NoticeKind.Apology, NoticeState.Sent);
        var deletesSent = Count(NoticeKind.DeleteRequest, NoticeState.Sent);
        var unconfirmedApologies = Count(NoticeKind.Apology, NoticeState.Unknown, NoticeState.Failed);
        var unconfirmedDeletes = Count(NoticeKind.DeleteRequest, NoticeState.Unknown, NoticeState.Failed);
        var progress = new NoticeProgress(
            apologiesSent, apologiesDue - apologiesSent - unconfirmedApologies,
            deletesSent, scope.WrongRecipients - deletesSent - unconfirmedDeletes,
            unconfirmedApologies + unconfirmedDeletes);

        return new IncidentReport(incident.IncidentId, incident.JobId, StoredName.Of(incident.Source), StoredName.Of(incident.Status), incident.Reason,
            organization.Organization, contactEmail, timeline, scope, cause, progress);
    }

    private static readonly HashSet<IncidentEventKind> Shown =
    [
        IncidentEventKind.ReleaseDecision, IncidentEventKind.ChunkReleased, IncidentEventKind.ReleaseFailed, IncidentEventKind.ChunkDiscarded,
        IncidentEventKind.ChunkUnknown, IncidentEventKind.ChunkResolved, IncidentEventKind.ChunkFailed,
        IncidentEventKind.CancelDone, IncidentEventKind.CancelFailed, IncidentEventKind.CancelTooLate,
        IncidentEventKind.WaveFailed, IncidentEventKind.WaveUnknown,
    ];
}
