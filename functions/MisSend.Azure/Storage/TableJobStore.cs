using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;
using MisSend.Core;
using MisSend.Core.Incidents;

namespace MisSend.Azure.Storage;

/// <summary>Job and chunk rows in Table storage: inserts are insert-if-absent, replaces conditional on the ETag.</summary>
public sealed class TableJobStore(StorageClients storage, IOptions<PipelineOptions> options) : IJobStore
{
    private readonly TableClient _table = storage.Tables.GetTableClient(options.Value.JobsTable);

    public async Task<JobRecord?> GetJobAsync(string jobId, CancellationToken ct) =>
        await _table.FindAsync<JobEntity>(jobId, JobEntity.Row, ct) is { } e ? ToRecord(e) : null;

    public async Task<JobRecord?> TryAddJobAsync(JobRecord job, CancellationToken ct)
    {
        var e = ToEntity(job);
        return await _table.TryAddAsync(e, ct) ? ToRecord(e) : null;
    }

    public async Task<JobRecord?> TryReplaceJobAsync(JobRecord job, CancellationToken ct)
    {
        var e = ToEntity(job);
        return await _table.TryReplaceAsync(e, ct) ? ToRecord(e) : null;
    }

    public async Task<ChunkRecord?> GetChunkAsync(string jobId, int chunk, CancellationToken ct) =>
        await _table.FindAsync<ChunkEntity>(jobId, StorageKeys.Chunk(chunk), ct) is { } e ? ToRecord(e) : null;

    public async Task<ChunkRecord?> TryAddChunkAsync(ChunkRecord chunk, CancellationToken ct)
    {
        var e = ToEntity(chunk);
        return await _table.TryAddAsync(e, ct) ? ToRecord(e) : null;
    }

    public async Task<ChunkRecord?> TryReplaceChunkAsync(ChunkRecord chunk, CancellationToken ct)
    {
        var e = ToEntity(chunk);
        return await _table.TryReplaceAsync(e, ct) ? ToRecord(e) : null;
    }

    public async Task<IReadOnlyList<ChunkRecord>> ListChunksAsync(string jobId, CancellationToken ct) =>
        (await _table.ListAsync<ChunkEntity>(StorageKeys.PrefixFilter(jobId, "chunk-"), ct)).Select(ToRecord).ToList();

    public Task FlagAsync(AttentionFlag flag, CancellationToken ct) =>
        _table.UpsertEntityAsync(new FlagEntity { PartitionKey = FlagEntity.Partition, RowKey = FlagRow(flag), JobId = flag.JobId, Chunk = flag.Chunk }, TableUpdateMode.Replace, ct);

    public async Task UnflagAsync(AttentionFlag flag, CancellationToken ct)
    {
        try
        {
            await _table.DeleteEntityAsync(FlagEntity.Partition, FlagRow(flag), ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public async Task<IReadOnlyList<AttentionFlag>> ListFlagsAsync(CancellationToken ct) =>
        (await _table.ListAsync<FlagEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {FlagEntity.Partition}"), ct))
            .Select(f => new AttentionFlag(f.JobId, f.Chunk)).ToList();

    private static string FlagRow(AttentionFlag flag) => $"{flag.JobId}~{flag.Chunk:D5}";

    private static JobEntity ToEntity(JobRecord r) => new()
    {
        PartitionKey = r.JobId,
        RowKey = JobEntity.Row,
        ETag = EntityBase.ETagOf(r.Version),
        State = StoredName.Of(r.State),
        IncidentId = r.IncidentId,
        ChunkCount = r.ChunkCount,
        FirstSentAt = r.FirstSentAt,
        HaltedAt = r.HaltedAt,
        HaltedBy = r.HaltedBy is { } by ? StoredName.Of(by) : null,
        BatchId = r.BatchId,
        Cancel = StoredName.Of(r.Cancel),
        CancelAttempts = r.CancelAttempts,
        NextCancelAt = r.NextCancelAt,
        CancelledAt = r.CancelledAt,
        CancelError = r.CancelError,
    };

    private static JobRecord ToRecord(JobEntity e) => new(e.PartitionKey)
    {
        State = StoredName.Parse<JobState>(e.State),
        IncidentId = e.IncidentId,
        ChunkCount = e.ChunkCount,
        FirstSentAt = e.FirstSentAt,
        HaltedAt = e.HaltedAt,
        HaltedBy = e.HaltedBy is { Length: > 0 } by ? StoredName.Parse<IncidentSource>(by) : null,
        BatchId = e.BatchId,
        Cancel = e.Cancel is { Length: > 0 } cancel ? StoredName.Parse<CancelState>(cancel) : CancelState.None,
        CancelAttempts = e.CancelAttempts,
        NextCancelAt = e.NextCancelAt,
        CancelledAt = e.CancelledAt,
        CancelError = e.CancelError,
        Version = e.Version,
    };

    private static ChunkEntity ToEntity(ChunkRecord r) => new()
    {
        PartitionKey = r.JobId,
        RowKey = StorageKeys.Chunk(r.Chunk),
        ETag = EntityBase.ETagOf(r.Version),
        State = StoredName.Of(r.State),
        Fingerprint = r.Fingerprint,
        LeaseUntil = r.LeaseUntil,
        AttemptId = r.AttemptId,
        AttemptedAt = r.AttemptedAt,
        Attempts = r.Attempts,
        Checks = r.Checks,
        NextCheckAt = r.NextCheckAt,
        SendAt = r.SendAt,
        SentAt = r.SentAt,
        Personalizations = r.Personalizations,
        Recipients = r.Recipients,
        SafeSubject = r.SafeSubject,
        Reason = r.Reason,
    };

    private static ChunkRecord ToRecord(ChunkEntity e) => new(e.PartitionKey, int.Parse(e.RowKey["chunk-".Length..], System.Globalization.CultureInfo.InvariantCulture))
    {
        State = StoredName.Parse<ChunkState>(e.State),
        Fingerprint = e.Fingerprint,
        LeaseUntil = e.LeaseUntil,
        AttemptId = e.AttemptId,
        AttemptedAt = e.AttemptedAt,
        Attempts = e.Attempts,
        Checks = e.Checks,
        NextCheckAt = e.NextCheckAt,
        SendAt = e.SendAt,
        SentAt = e.SentAt,
        Personalizations = e.Personalizations,
        Recipients = e.Recipients,
        SafeSubject = e.SafeSubject,
        Reason = e.Reason,
        Version = e.Version,
    };
}
