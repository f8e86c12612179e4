using MisSend.Application.Model;

namespace MisSend.Application.Ports;

/// <summary>
/// Job and chunk rows. Adds are insert-if-absent and replaces are conditional on the record's <c>Version</c>: both
/// return the stored record (with its new version) or null when another writer got there first.
/// </summary>
public interface IJobStore
{
    Task<JobRecord?> GetJobAsync(string jobId, CancellationToken ct);

    Task<JobRecord?> TryAddJobAsync(JobRecord job, CancellationToken ct);

    Task<JobRecord?> TryReplaceJobAsync(JobRecord job, CancellationToken ct);

    Task<ChunkRecord?> GetChunkAsync(string jobId, int chunk, CancellationToken ct);

    Task<ChunkRecord?> TryAddChunkAsync(ChunkRecord chunk, CancellationToken ct);

    Task<ChunkRecord?> TryReplaceChunkAsync(ChunkRecord chunk, CancellationToken ct);

    Task<IReadOnlyList<ChunkRecord>> ListChunksAsync(string jobId, CancellationToken ct);

    /// <summary>Notes work for the timer's sweep (idempotent).</summary>
    Task FlagAsync(AttentionFlag flag, CancellationToken ct);

    Task UnflagAsync(AttentionFlag flag, CancellationToken ct);

    Task<IReadOnlyList<AttentionFlag>> ListFlagsAsync(CancellationToken ct);
}
