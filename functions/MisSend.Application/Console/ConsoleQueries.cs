using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Ports;
using MisSend.Core.Detection;
using MisSend.Core.Notices;

namespace MisSend.Application.Console;

/// <summary>Notices of one kind by the state their rows are in; people the exposures name without a row yet are "to do".</summary>
public sealed record NoticeTally(int ToDo, int Sending, int Sent, int Pending, int Unknown, int Failed)
{
    public int Total => ToDo + Sending + Sent + Pending + Unknown + Failed;

    /// <param name="rows">The notice rows of one kind.</param>
    /// <param name="planned">Who the exposures name for this kind now (<see cref="NoticePlanner"/>).</param>
    public static NoticeTally Of(IReadOnlyList<NoticeRecord> rows, IEnumerable<NoticeRecord> planned)
    {
        var written = rows.Select(n => n.Email).ToHashSet(StringComparer.Ordinal);
        int Count(NoticeState s) => rows.Count(n => n.State == s);
        return new NoticeTally(planned.Count(p => !written.Contains(p.Email)), Count(NoticeState.Sending), Count(NoticeState.Sent), Count(NoticeState.Pending), Count(NoticeState.Unknown), Count(NoticeState.Failed));
    }
}

/// <summary>The notices of an incident: apologies to data subjects, delete requests to wrong recipients, and the "deleted unread" confirmations.</summary>
public sealed record NoticeProgressView(NoticeTally Apologies, NoticeTally DeleteRequests, int ConfirmedDeletedUnread, int Waves);

/// <summary>One line of the incident list, counted from the records as they are now; null counts mean the scope is under investigation.</summary>
/// <param name="NotMineReports">Recipients' "this mail is not for me" reports on the job, in the order they came.</param>
public sealed record IncidentSummary(IncidentRecord Incident, int? DataSubjects, int? WrongRecipients, int ChunksQuarantined, NoticeProgressView Notices,
    IReadOnlyList<NotMineReport> NotMineReports);

/// <summary>One incident page: its summary, the record of what happened (events and notice waves) and the findings that halted chunks.</summary>
public sealed record IncidentView(
    IncidentSummary Summary,
    IncidentSnapshot Snapshot,
    IReadOnlyList<IncidentEvent> Events,
    IReadOnlyList<WaveRecord> Waves,
    IReadOnlyList<ChunkFindings> Findings);

public sealed record JobView(JobRecord Job, IReadOnlyList<ChunkRecord> Chunks);

/// <summary>A chunk held in quarantine: why (its own findings when it halted the job, else the reason it was contained).</summary>
public sealed record QuarantinedChunkView(ChunkRecord Chunk, JobRecord? Job, IReadOnlyList<Finding> Findings);

/// <summary>What the console reads: every list and page from the same ports the pipeline writes through.</summary>
public sealed class ConsoleQueries(IRecordIndex index, IIncidentStore incidents, INoticeStore notices, IJobStore jobs, IncidentReader reader, NoticeContent content)
{
    public const int ListSize = 50;

    public async Task<IReadOnlyList<IncidentSummary>> IncidentsAsync(CancellationToken ct)
    {
        var list = new List<IncidentSummary>();
        foreach (var id in await index.RecentIncidentsAsync(ListSize, ct))
        {
            if (await reader.ReadAsync(id, ct) is { } snapshot)
            {
                list.Add(Summarize(snapshot, await notices.ListAsync(id, ct), waves: 0, await incidents.NotMineReportsAsync(id, ct)));
            }
        }

        return list;
    }

    public async Task<IncidentView?> IncidentAsync(string incidentId, CancellationToken ct)
    {
        if (await reader.ReadAsync(incidentId, ct) is not { } snapshot)
        {
            return null;
        }

        var waves = await notices.ListWavesAsync(incidentId, ct);
        return new IncidentView(
            Summarize(snapshot, await notices.ListAsync(incidentId, ct), waves.Count, await incidents.NotMineReportsAsync(incidentId, ct)),
            snapshot,
            await incidents.EventsAsync(incidentId, ct),
            waves.OrderBy(w => w.AttemptedAt).ToList(),
            (await incidents.FindingsAsync(incidentId, ct)).OrderBy(f => f.Chunk).ToList());
    }

    public async Task<IReadOnlyList<JobView>> JobsAsync(CancellationToken ct)
    {
        var list = new List<JobView>();
        foreach (var id in await index.RecentJobsAsync(ListSize, ct))
        {
            if (await jobs.GetJobAsync(id, ct) is { } job)
            {
                list.Add(new JobView(job, (await jobs.ListChunksAsync(id, ct)).OrderBy(c => c.Chunk).ToList()));
            }
        }

        return list;
    }

    public async Task<JobRecord?> JobAsync(string jobId, CancellationToken ct) =>
        Inputs.JobIds.Problem(jobId) is null ? await jobs.GetJobAsync(jobId, ct) : null;

    public async Task<IReadOnlyList<QuarantinedChunkView>> QuarantineAsync(CancellationToken ct)
    {
        var list = new List<QuarantinedChunkView>();
        var findingsByIncident = new Dictionary<string, IReadOnlyList<ChunkFindings>>();
        foreach (var (jobId, number) in await index.QuarantinedChunksAsync(ct))
        {
            if (await jobs.GetChunkAsync(jobId, number, ct) is not { State: ChunkState.Quarantined } chunk)
            {
                continue;
            }

            var job = await jobs.GetJobAsync(jobId, ct);
            IReadOnlyList<Finding> findings = [];
            if (job?.IncidentId is { } incidentId)
            {
                if (!findingsByIncident.TryGetValue(incidentId, out var all))
                {
                    findingsByIncident[incidentId] = all = await incidents.FindingsAsync(incidentId, ct);
                }

                findings = all.FirstOrDefault(f => f.Chunk == number)?.Findings ?? [];
            }

            list.Add(new QuarantinedChunkView(chunk, job, findings));
        }

        return list.OrderBy(q => q.Chunk.JobId, StringComparer.Ordinal).ThenBy(q => q.Chunk.Chunk).ToList();
    }

    private IncidentSummary Summarize(IncidentSnapshot snapshot, IReadOnlyList<NoticeRecord> rows, int waves, IReadOnlyList<NotMineReport> reports)
    {
        var scope = snapshot.Scope;
        var planned = scope is null ? [] : NoticePlanner.Plan(snapshot.Incident, scope, content.KeyOf).ToList();
        IReadOnlyList<NoticeRecord> Of(NoticeKind kind, IEnumerable<NoticeRecord> from) => from.Where(n => n.Kind == kind).ToList();
        var deletes = Of(NoticeKind.DeleteRequest, rows);
        var progress = new NoticeProgressView(
            NoticeTally.Of(Of(NoticeKind.Apology, rows), Of(NoticeKind.Apology, planned)),
            NoticeTally.Of(deletes, Of(NoticeKind.DeleteRequest, planned)),
            deletes.Count(n => n.ConfirmedDeletedAt is not null),
            waves);
        return new IncidentSummary(snapshot.Incident,
            scope?.Subjects.Count,
            scope?.Recipients.Count,
            snapshot.Chunks.Count(c => c.State == ChunkState.Quarantined),
            progress,
            reports.OrderBy(r => r.ReportedAt).ToList());
    }
}
