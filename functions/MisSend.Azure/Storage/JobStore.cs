using Azure;
using Azure.Data.Tables;
using MisSend.Azure.Configuration;
using Microsoft.Extensions.Options;

namespace MisSend.Azure.Storage;

/// <summary>Job and chunk state in Table storage. Every change is a conditional write: chunks of one job race safely.</summary>
public sealed class JobStore(StorageClients storage, IOptions<PipelineOptions> options)
{
    private readonly TableClient _table = storage.Tables.GetTableClient(options.Value.JobsTable);

    public Task<JobEntity?> GetJobAsync(string jobId, CancellationToken ct) => _table.FindAsync<JobEntity>(jobId, JobEntity.Row, ct);

    public Task<ChunkEntity?> GetChunkAsync(string jobId, int chunk, CancellationToken ct) =>
        _table.FindAsync<ChunkEntity>(jobId, StorageKeys.Chunk(chunk), ct);

    public Task<List<ChunkEntity>> ListChunksAsync(string jobId, CancellationToken ct) =>
        _table.ListAsync<ChunkEntity>(TableExtensions.PrefixFilter(jobId, "chunk-"), ct);

    /// <summary>Halts the job and returns its row; its IncidentId is the first halting chunk's, if several race.</summary>
    public async Task<JobEntity> HaltAsync(string jobId, int chunkCount, string incidentId, DateTimeOffset at, CancellationToken ct)
    {
        while (true)
        {
            var job = await GetJobAsync(jobId, ct);
            if (job is null)
            {
                var created = new JobEntity { PartitionKey = jobId, RowKey = JobEntity.Row, State = JobStates.Halted, IncidentId = incidentId, ChunkCount = chunkCount, HaltedAt = at };
                if (await _table.TryAddAsync(created, ct))
                {
                    return created;
                }

                continue;
            }

            if (job.State == JobStates.Halted)
            {
                return job;
            }

            job.State = JobStates.Halted;
            job.IncidentId = incidentId;
            job.HaltedAt = at;
            if (await _table.TryReplaceAsync(job, ct))
            {
                return job;
            }

            // Another chunk changed the job first: read it again.
        }
    }

    /// <summary>Notes the first send of the job (for the incident timeline); creates the job row if needed.</summary>
    public async Task MarkJobSentAsync(string jobId, int chunkCount, DateTimeOffset at, CancellationToken ct)
    {
        while (true)
        {
            var job = await GetJobAsync(jobId, ct);
            if (job is null)
            {
                if (await _table.TryAddAsync(new JobEntity { PartitionKey = jobId, RowKey = JobEntity.Row, ChunkCount = chunkCount, FirstSentAt = at }, ct))
                {
                    return;
                }

                continue;
            }

            if (job.FirstSentAt is not null && job.FirstSentAt <= at)
            {
                return;
            }

            job.FirstSentAt = at;
            if (await _table.TryReplaceAsync(job, ct))
            {
                return;
            }
        }
    }

    /// <summary>Claims a chunk before it is sent. Null when it was claimed before: the existing record is returned instead.</summary>
    public async Task<ChunkEntity?> TryBeginSendAsync(string jobId, int chunk, ChunkEntity record, CancellationToken ct)
    {
        record.PartitionKey = jobId;
        record.RowKey = StorageKeys.Chunk(chunk);
        record.State = ChunkStates.Sending;
        return await _table.TryAddAsync(record, ct) ? null : await GetChunkAsync(jobId, chunk, ct);
    }

    /// <summary>Conditional update on the chunk's ETag: false when someone else changed it first.</summary>
    public Task<bool> TryUpdateChunkAsync(ChunkEntity chunk, CancellationToken ct) => _table.TryReplaceAsync(chunk, ct);

    public Task SaveChunkAsync(ChunkEntity chunk, CancellationToken ct) =>
        _table.UpsertEntityAsync(chunk, TableUpdateMode.Replace, ct);

    /// <summary>SendGrid refused the chunk: release the claim so the queue's retry may send it.</summary>
    public async Task ReleaseAsync(ChunkEntity chunk, CancellationToken ct)
    {
        try
        {
            await _table.DeleteEntityAsync(chunk.PartitionKey, chunk.RowKey, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
