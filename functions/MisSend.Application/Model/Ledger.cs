using MisSend.Core.Detection;

namespace MisSend.Application.Model;

/// <summary>
/// One row of the exposure ledger: in chunk <see cref="Chunk"/> of the job, <see cref="Recipient"/> receives (or
/// may receive) the data of <see cref="SubjectKey"/>. Written BEFORE the send: whether it reached anyone is the
/// chunk's state, not the row's.
/// </summary>
public sealed record LedgerDelivery(
    string JobId,
    int Chunk,
    int Personalization,
    string Recipient,
    string SubjectKey,
    string? SubjectEmail,
    IReadOnlyList<DataCategory> Categories,
    bool OwnerConfirmed,
    bool Misdirected)
{
    public static LedgerDelivery From(string jobId, int chunk, Delivery d) =>
        new(jobId, chunk, d.Personalization, d.Recipient, d.SubjectKey, d.SubjectEmail, d.Categories, d.OwnerConfirmed, d.Misdirected);
}

/// <summary>The first data subject a recipient was given in the job; the first chunk to claim a recipient wins.</summary>
public sealed record RecipientClaim(string JobId, string Recipient, string SubjectKey, int Chunk);
