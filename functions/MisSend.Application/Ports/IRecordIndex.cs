namespace MisSend.Application.Ports;

/// <summary>
/// What the operator console lists: the most recently changed incidents and jobs, and the chunks held in quarantine.
/// Read-only; the records themselves are read through the other ports.
/// </summary>
public interface IRecordIndex
{
    /// <summary>Incident ids, the most recently changed first.</summary>
    Task<IReadOnlyList<string>> RecentIncidentsAsync(int max, CancellationToken ct);

    /// <summary>Job ids, the most recently changed first.</summary>
    Task<IReadOnlyList<string>> RecentJobsAsync(int max, CancellationToken ct);

    /// <summary>Every chunk in <see cref="Model.ChunkState.Quarantined"/>, as (job id, chunk number).</summary>
    Task<IReadOnlyList<(string JobId, int Chunk)>> QuarantinedChunksAsync(CancellationToken ct);
}
