using MisSend.Application.Model;

namespace MisSend.Application.Ports;

/// <summary>Who receives whose data, per job.</summary>
public interface IExposureLedger
{
    /// <summary>Writes the rows (idempotent: the same delivery written twice is one row).</summary>
    Task RecordAsync(IReadOnlyList<LedgerDelivery> deliveries, CancellationToken ct);

    /// <summary>
    /// Inserts each claim (a recipient's, or a data subject's) if the job has none with its key. Returns the claims that
    /// were there already, as stored: of two chunks racing for a key, exactly one sees the other's claim.
    /// </summary>
    Task<IReadOnlyList<DeliveryClaim>> ClaimAsync(IReadOnlyList<DeliveryClaim> claims, CancellationToken ct);

    Task<IReadOnlyList<LedgerDelivery>> DeliveriesToAsync(string jobId, string recipient, CancellationToken ct);

    Task<IReadOnlyList<LedgerDelivery>> DeliveriesAsync(string jobId, CancellationToken ct);
}
