using MisSend.Application.Model;

namespace MisSend.Application.Ports;

/// <summary>Who receives whose data, per job.</summary>
public interface IExposureLedger
{
    /// <summary>Writes the rows (idempotent: the same delivery written twice is one row).</summary>
    Task RecordAsync(IReadOnlyList<LedgerDelivery> deliveries, CancellationToken ct);

    /// <summary>
    /// Inserts each recipient's claim if the recipient has none in the job. Returns the claims that were there
    /// already, as stored: of two chunks racing for a recipient, exactly one sees the other's claim.
    /// </summary>
    Task<IReadOnlyList<RecipientClaim>> ClaimAsync(IReadOnlyList<RecipientClaim> claims, CancellationToken ct);

    Task<IReadOnlyList<LedgerDelivery>> DeliveriesToAsync(string jobId, string recipient, CancellationToken ct);

    Task<IReadOnlyList<LedgerDelivery>> DeliveriesAsync(string jobId, CancellationToken ct);
}
