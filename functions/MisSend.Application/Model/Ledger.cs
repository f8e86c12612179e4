using MisSend.Core.Detection;

namespace MisSend.Application.Model;

/// <summary>
/// One row of the exposure ledger: in chunk <see cref="Chunk"/> of the job, <see cref="Recipient"/> receives (or
/// may receive) the data of <see cref="SubjectKey"/>. Written BEFORE the send: whether it reached anyone is the
/// chunk's state, not the row's.
/// </summary>
/// <param name="SubjectName">The data subject's name as the batch gave it: the salutation of their apology.</param>
/// <param name="Relationship">Why a recipient who is not the subject may see the data ("guardian", "household", …); null for the subject's own mail.</param>
public sealed record LedgerDelivery(
    string JobId,
    int Chunk,
    int Personalization,
    string Recipient,
    string SubjectKey,
    string? SubjectEmail,
    IReadOnlyList<DataCategory> Categories,
    bool OwnerConfirmed,
    bool Misdirected,
    string? SubjectName = null,
    string? Relationship = null)
{
    public static LedgerDelivery From(string jobId, int chunk, Delivery d) =>
        new(jobId, chunk, d.Personalization, d.Recipient, d.SubjectKey, d.SubjectEmail, d.Categories, d.OwnerConfirmed, d.Misdirected, d.SubjectName, d.Relationship);

    public static LedgerDelivery From(string jobId, ChunkDelivery d, string? subjectName) =>
        new(jobId, d.Chunk, d.Personalization, d.Recipient, d.SubjectKey, d.SubjectEmail, d.Categories, d.OwnerConfirmed, d.Misdirected, subjectName, d.Relationship);

    /// <summary>The row as the detector's cross-chunk judgement reads it.</summary>
    public ChunkDelivery ToChunkDelivery() =>
        new(Chunk, Personalization, Recipient, SubjectKey, SubjectEmail, Categories, OwnerConfirmed, Misdirected, Relationship);
}

/// <summary>
/// The first chunk of a job to deliver to a recipient, or to carry a data subject's data; the first to claim wins.
/// Of two chunks racing for the same recipient or subject, exactly one finds the other's claim.
/// </summary>
/// <param name="Key">"rcpt:" + address, or "subj:" + subject key.</param>
public sealed record DeliveryClaim(string JobId, string Key, int Chunk)
{
    public static DeliveryClaim Recipient(string jobId, string address, int chunk) => new(jobId, "rcpt:" + address, chunk);

    public static DeliveryClaim Subject(string jobId, string subjectKey, int chunk) => new(jobId, "subj:" + subjectKey, chunk);
}
