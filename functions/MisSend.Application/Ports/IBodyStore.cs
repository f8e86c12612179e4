namespace MisSend.Application.Ports;

/// <summary>
/// Bodies the pipeline keeps (the quarantine container): each chunk's message from its claim until it is final
/// (so a halt, a release or a re-send after a lost response has it, with the job's policy), the reason a chunk was
/// held back, and messages set aside as rejected or poisoned.
/// </summary>
public interface IBodyStore
{
    /// <summary>Keeps the message as received (envelope or bare body). Its name is <c>{jobId}/chunk-NNNNN.json</c>.</summary>
    Task KeepAsync(string jobId, int chunk, ReadOnlyMemory<byte> message, CancellationToken ct);

    Task<byte[]?> ReadKeptAsync(string jobId, int chunk, CancellationToken ct);

    Task DeleteKeptAsync(string jobId, int chunk, CancellationToken ct);

    /// <summary>Writes why the chunk was held back, beside its kept body.</summary>
    Task WriteReasonAsync(string jobId, int chunk, string reasonJson, CancellationToken ct);

    /// <summary>Sets a message aside with its reason, e.g. <c>rejected/{messageId}</c>.</summary>
    Task SetAsideAsync(string name, ReadOnlyMemory<byte> message, string reasonJson, CancellationToken ct);
}

/// <summary>Batches too big for a queue message, in the claim-check container.</summary>
public interface IClaimCheckStore
{
    string Container { get; }

    /// <summary>The body, or null when the blob does not exist. Throws <see cref="Core.Batches.BatchFormatException"/> when it is over <paramref name="maxBytes"/>.</summary>
    Task<byte[]?> ReadAsync(string blobName, int maxBytes, CancellationToken ct);

    Task DeleteAsync(string blobName, CancellationToken ct);
}
