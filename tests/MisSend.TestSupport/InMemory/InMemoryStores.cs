using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Core;
using MisSend.Core.Batches;
using MisSend.Core.Notices;

namespace MisSend.TestSupport.InMemory;

/// <summary>Unversioned rows (idempotent writes only).</summary>
internal static class Rows
{
    public static VersionedRows<T> Plain<T>()
        where T : class => new(_ => null, (r, _) => r);
}

public sealed class InMemoryJobStore(FaultPlan faults) : IJobStore
{
    private readonly VersionedRows<JobRecord> _jobs = new(r => r.Version, (r, v) => r with { Version = v });
    private readonly VersionedRows<ChunkRecord> _chunks = new(r => r.Version, (r, v) => r with { Version = v });
    private readonly VersionedRows<AttentionFlag> _flags = Rows.Plain<AttentionFlag>();

    public Task<JobRecord?> GetJobAsync(string jobId, CancellationToken ct) => Task.FromResult(_jobs.Get(jobId, "job"));

    public Task<JobRecord?> TryAddJobAsync(JobRecord job, CancellationToken ct) =>
        TracedAsync(Ops.AddJob, $"{job.JobId}:{StoredName.Of(job.State)}", () => _jobs.TryAdd(job.JobId, "job", job));

    public Task<JobRecord?> TryReplaceJobAsync(JobRecord job, CancellationToken ct) =>
        TracedAsync(Ops.ReplaceJob, $"{job.JobId}:{StoredName.Of(job.State)}", () => _jobs.TryReplace(job.JobId, "job", job));

    public Task<ChunkRecord?> GetChunkAsync(string jobId, int chunk, CancellationToken ct) => Task.FromResult(_chunks.Get(jobId, Row(chunk)));

    public Task<ChunkRecord?> TryAddChunkAsync(ChunkRecord chunk, CancellationToken ct) =>
        TracedAsync(Ops.AddChunk, Subject(chunk), () => _chunks.TryAdd(chunk.JobId, Row(chunk.Chunk), chunk));

    public Task<ChunkRecord?> TryReplaceChunkAsync(ChunkRecord chunk, CancellationToken ct) =>
        TracedAsync(Ops.ReplaceChunk, Subject(chunk), () => _chunks.TryReplace(chunk.JobId, Row(chunk.Chunk), chunk));

    public Task<IReadOnlyList<ChunkRecord>> ListChunksAsync(string jobId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ChunkRecord>>(_chunks.List(jobId, "chunk-"));

    public Task FlagAsync(AttentionFlag flag, CancellationToken ct)
    {
        _flags.Upsert("flags", $"{flag.JobId}~{flag.Chunk:D5}", flag);
        return Task.CompletedTask;
    }

    public Task UnflagAsync(AttentionFlag flag, CancellationToken ct)
    {
        _flags.Remove("flags", $"{flag.JobId}~{flag.Chunk:D5}");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AttentionFlag>> ListFlagsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<AttentionFlag>>(_flags.List("flags"));

    /// <summary>"job#chunk:state", what fault rules aim at.</summary>
    public static string Subject(ChunkRecord chunk) => $"{chunk.JobId}#{chunk.Chunk}:{StoredName.Of(chunk.State)}";

    private static string Row(int chunk) => $"chunk-{chunk:D5}";

    private async Task<T> TracedAsync<T>(string operation, string subject, Func<T> effect)
    {
        await faults.PassAsync(new Step(operation, subject, StepPhase.Before));
        var result = effect();
        await faults.PassAsync(new Step(operation, subject, StepPhase.After));
        return result;
    }
}

public sealed class InMemoryExposureLedger(FaultPlan faults) : IExposureLedger
{
    private readonly VersionedRows<LedgerDelivery> _deliveries = Rows.Plain<LedgerDelivery>();
    private readonly VersionedRows<DeliveryClaim> _claims = Rows.Plain<DeliveryClaim>();

    public async Task RecordAsync(IReadOnlyList<LedgerDelivery> deliveries, CancellationToken ct)
    {
        var subject = deliveries.Count > 0 ? $"{deliveries[0].JobId}#{deliveries[0].Chunk}" : "";
        await faults.PassAsync(new Step(Ops.RecordDeliveries, subject, StepPhase.Before));
        foreach (var d in deliveries)
        {
            _deliveries.Upsert(d.JobId, $"dlv-{Keys.Hash(d.Recipient)}-{d.Chunk:D5}-{Keys.Hash(d.SubjectKey)}", d);
        }

        await faults.PassAsync(new Step(Ops.RecordDeliveries, subject, StepPhase.After));
    }

    public async Task<IReadOnlyList<DeliveryClaim>> ClaimAsync(IReadOnlyList<DeliveryClaim> claims, CancellationToken ct)
    {
        var subject = claims.Count > 0 ? $"{claims[0].JobId}#{claims[0].Chunk}" : "";
        await faults.PassAsync(new Step(Ops.ClaimRecipients, subject, StepPhase.Before));
        var existing = claims.Where(c => _claims.TryAdd(c.JobId, "claim-" + Keys.Hash(c.Key), c) is null)
            .Select(c => _claims.Get(c.JobId, "claim-" + Keys.Hash(c.Key))!)
            .ToList();
        await faults.PassAsync(new Step(Ops.ClaimRecipients, subject, StepPhase.After));
        return existing;
    }

    public Task<IReadOnlyList<LedgerDelivery>> DeliveriesToAsync(string jobId, string recipient, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<LedgerDelivery>>(_deliveries.List(jobId, $"dlv-{Keys.Hash(recipient)}-"));

    public Task<IReadOnlyList<LedgerDelivery>> DeliveriesAsync(string jobId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<LedgerDelivery>>(_deliveries.List(jobId, "dlv-"));
}

public sealed class InMemoryIncidentStore(FaultPlan faults) : IIncidentStore
{
    private readonly VersionedRows<IncidentRecord> _incidents = new(r => r.Version, (r, v) => r with { Version = v });
    private readonly VersionedRows<IncidentEvent> _events = Rows.Plain<IncidentEvent>();
    private readonly VersionedRows<ChunkFindings> _findings = Rows.Plain<ChunkFindings>();
    private readonly VersionedRows<ExposureCandidate> _candidates = Rows.Plain<ExposureCandidate>();
    private readonly VersionedRows<NotMineReport> _reports = new(r => r.Version, (r, v) => r with { Version = v });
    private long _sequence;

    public Task<IncidentRecord?> GetAsync(string incidentId, CancellationToken ct) => Task.FromResult(_incidents.Get(incidentId, "incident"));

    public async Task<IncidentRecord?> TryAddAsync(IncidentRecord incident, CancellationToken ct)
    {
        await faults.PassAsync(new Step(Ops.AddIncident, incident.IncidentId, StepPhase.Before));
        var added = _incidents.TryAdd(incident.IncidentId, "incident", incident);
        await faults.PassAsync(new Step(Ops.AddIncident, incident.IncidentId, StepPhase.After));
        return added;
    }

    public async Task<IncidentRecord?> TryReplaceAsync(IncidentRecord incident, CancellationToken ct)
    {
        var subject = $"{incident.IncidentId}:{StoredName.Of(incident.Status)}";
        await faults.PassAsync(new Step(Ops.ReplaceIncident, subject, StepPhase.Before));
        var replaced = _incidents.TryReplace(incident.IncidentId, "incident", incident);
        await faults.PassAsync(new Step(Ops.ReplaceIncident, subject, StepPhase.After));
        return replaced;
    }

    public Task<IReadOnlyList<IncidentRecord>> ListOpenAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<IncidentRecord>>(_incidents.All().Where(i => i.Status == IncidentStatus.Open).ToList());

    public Task AppendEventAsync(IncidentEvent incidentEvent, CancellationToken ct)
    {
        _events.Upsert(incidentEvent.IncidentId, $"evt-{incidentEvent.At.UtcTicks:D19}-{Interlocked.Increment(ref _sequence):D10}", incidentEvent);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<IncidentEvent>> EventsAsync(string incidentId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<IncidentEvent>>(_events.List(incidentId, "evt-"));

    public Task SaveFindingsAsync(ChunkFindings findings, CancellationToken ct)
    {
        _findings.Upsert(findings.IncidentId, $"findings-{findings.Chunk:D5}", findings);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChunkFindings>> FindingsAsync(string incidentId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ChunkFindings>>(_findings.List(incidentId, "findings-"));

    public async Task AddExposureCandidatesAsync(IReadOnlyList<ExposureCandidate> candidates, CancellationToken ct)
    {
        await faults.PassAsync(new Step(Ops.AddCandidates, candidates.FirstOrDefault()?.IncidentId ?? "", StepPhase.Before));
        foreach (var c in candidates)
        {
            _candidates.Upsert(c.IncidentId, $"exp-{Keys.Hash(c.Recipient)}-{c.Chunk:D5}-{Keys.Hash(c.SubjectKey)}", c);
        }

        await faults.PassAsync(new Step(Ops.AddCandidates, candidates.FirstOrDefault()?.IncidentId ?? "", StepPhase.After));
    }

    public Task<IReadOnlyList<ExposureCandidate>> ExposureCandidatesAsync(string incidentId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ExposureCandidate>>(_candidates.List(incidentId, "exp-"));

    public Task<NotMineReport?> TryAddNotMineReportAsync(NotMineReport report, CancellationToken ct) =>
        Task.FromResult(_reports.TryAdd(report.IncidentId, NotMineRow(report), report));

    public Task<NotMineReport?> TryReplaceNotMineReportAsync(NotMineReport report, CancellationToken ct) =>
        Task.FromResult(_reports.TryReplace(report.IncidentId, NotMineRow(report), report));

    public Task<IReadOnlyList<NotMineReport>> NotMineReportsAsync(string incidentId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<NotMineReport>>(_reports.List(incidentId, "notmine-"));

    private static string NotMineRow(NotMineReport r) => $"notmine-{r.Chunk:D5}-{r.Personalization:D5}";
}

public sealed class InMemoryNoticeStore(FaultPlan faults) : INoticeStore
{
    private readonly VersionedRows<NoticeRecord> _notices = new(r => r.Version, (r, v) => r with { Version = v });
    private readonly VersionedRows<WaveRecord> _waves = new(r => r.Version, (r, v) => r with { Version = v });

    public Task<IReadOnlyList<NoticeRecord>> ListAsync(string incidentId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<NoticeRecord>>(_notices.List(incidentId));

    public Task<NoticeRecord?> GetAsync(string incidentId, NoticeKind kind, string recipientKey, CancellationToken ct) =>
        Task.FromResult(_notices.Get(incidentId, $"{StoredName.Of(kind)}-{recipientKey}"));

    public async Task<IReadOnlyList<NoticeRecord>> InsertNewAsync(IReadOnlyList<NoticeRecord> rows, CancellationToken ct)
    {
        await faults.PassAsync(new Step(Ops.InsertNotices, rows.FirstOrDefault()?.IncidentId ?? "", StepPhase.Before));
        var inserted = rows.Select(r => _notices.TryAdd(r.IncidentId, Row(r), r)).OfType<NoticeRecord>().ToList();
        await faults.PassAsync(new Step(Ops.InsertNotices, rows.FirstOrDefault()?.IncidentId ?? "", StepPhase.After));
        return inserted;
    }

    public async Task<NoticeRecord?> TryReplaceAsync(NoticeRecord row, CancellationToken ct) => (await ReplaceAllAsync([row], ct)).SingleOrDefault();

    public async Task<IReadOnlyList<NoticeRecord>> ReplaceAllAsync(IReadOnlyList<NoticeRecord> rows, CancellationToken ct)
    {
        var subject = rows.Count > 0 ? $"{rows[0].IncidentId}:{StoredName.Of(rows[0].State)}" : "";
        await faults.PassAsync(new Step(Ops.ReplaceNotices, subject, StepPhase.Before));
        var landed = rows.Select(r => _notices.TryReplace(r.IncidentId, Row(r), r)).OfType<NoticeRecord>().ToList();
        await faults.PassAsync(new Step(Ops.ReplaceNotices, subject, StepPhase.After));
        return landed;
    }

    public Task<IReadOnlyList<WaveRecord>> ListWavesAsync(string incidentId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<WaveRecord>>(_waves.List(incidentId));

    public async Task<WaveRecord?> TryAddWaveAsync(WaveRecord wave, CancellationToken ct)
    {
        await faults.PassAsync(new Step(Ops.AddWave, wave.WaveId, StepPhase.Before));
        var added = _waves.TryAdd(wave.IncidentId, wave.WaveId, wave);
        await faults.PassAsync(new Step(Ops.AddWave, wave.WaveId, StepPhase.After));
        return added;
    }

    public async Task<WaveRecord?> TryReplaceWaveAsync(WaveRecord wave, CancellationToken ct)
    {
        var subject = $"{wave.WaveId}:{StoredName.Of(wave.State)}";
        await faults.PassAsync(new Step(Ops.ReplaceWave, subject, StepPhase.Before));
        var replaced = _waves.TryReplace(wave.IncidentId, wave.WaveId, wave);
        await faults.PassAsync(new Step(Ops.ReplaceWave, subject, StepPhase.After));
        return replaced;
    }

    private static string Row(NoticeRecord r) => $"{StoredName.Of(r.Kind)}-{r.Key}";
}

public sealed class InMemoryBodyStore(FaultPlan faults) : IBodyStore
{
    private readonly VersionedRows<byte[]> _blobs = Rows.Plain<byte[]>();

    public async Task KeepAsync(string jobId, int chunk, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        await faults.PassAsync(new Step(Ops.KeepBody, $"{jobId}#{chunk}", StepPhase.Before));
        Put(Name(jobId, chunk) + ".json", message.ToArray());
        await faults.PassAsync(new Step(Ops.KeepBody, $"{jobId}#{chunk}", StepPhase.After));
    }

    public Task<byte[]?> ReadKeptAsync(string jobId, int chunk, CancellationToken ct) => Task.FromResult(Read(Name(jobId, chunk) + ".json"));

    public Task DeleteKeptAsync(string jobId, int chunk, CancellationToken ct)
    {
        _blobs.Remove("", Name(jobId, chunk) + ".json");
        return Task.CompletedTask;
    }

    public Task WriteReasonAsync(string jobId, int chunk, string reasonJson, CancellationToken ct)
    {
        Put(Name(jobId, chunk) + ".reason.json", System.Text.Encoding.UTF8.GetBytes(reasonJson));
        return Task.CompletedTask;
    }

    public Task SetAsideAsync(string name, ReadOnlyMemory<byte> message, string reasonJson, CancellationToken ct)
    {
        Put(name + ".json", message.ToArray());
        Put(name + ".reason.json", System.Text.Encoding.UTF8.GetBytes(reasonJson));
        return Task.CompletedTask;
    }

    public byte[]? Read(string name) => _blobs.Get("", name);

    public string? ReadText(string name) => Read(name) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    private void Put(string name, byte[] bytes) => _blobs.Upsert("", name, bytes);

    private static string Name(string jobId, int chunk) => $"{jobId}/chunk-{chunk:D5}";
}

public sealed class InMemoryClaimCheckStore : IClaimCheckStore
{
    private readonly VersionedRows<byte[]> _blobs = Rows.Plain<byte[]>();

    public string Container => "claim-check";

    public void Put(string name, byte[] body) => _blobs.Upsert("", name, body);

    public bool Exists(string name) => _blobs.Get("", name) is not null;

    public Task<byte[]?> ReadAsync(string blobName, int maxBytes, CancellationToken ct)
    {
        var body = _blobs.Get("", blobName);
        return body is not null && body.Length > maxBytes
            ? throw new BatchFormatException($"claim-check body is {body.Length:N0} bytes; the limit is {maxBytes:N0} bytes")
            : Task.FromResult(body);
    }

    public Task DeleteAsync(string blobName, CancellationToken ct)
    {
        _blobs.Remove("", blobName);
        return Task.CompletedTask;
    }
}
