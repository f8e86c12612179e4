using MisSend.Application.Model;
using MisSend.Core.Detection;

namespace MisSend.Application.Pipeline;

/// <param name="Findings">Why this chunk must halt (empty: it may be sent).</param>
/// <param name="Exposures">Earlier deliveries that, in the light of this chunk, carried someone else's data (the subject's address corrected).</param>
public sealed record CrossChunkJudgement(IReadOnlyList<Finding> Findings, IReadOnlyList<LedgerDelivery> Exposures);

/// <summary>
/// The judgement across the chunks of one job: the deliveries already in the ledger (sent, or in flight) against
/// the new chunk's verdict. Pure, and the only place the pipeline asks for it: the detector's
/// <see cref="JobExposure.CheckAgainstEarlier"/> decides (a guardian's several children are not a fan-in; two
/// strangers' data to one recipient is).
/// </summary>
public static class CrossChunkCheck
{
    /// <param name="earlier">Deliveries of the job's other chunks that reached, or may reach, their recipients.</param>
    public static CrossChunkJudgement Judge(int chunk, Verdict verdict, IReadOnlyList<LedgerDelivery> earlier)
    {
        if (earlier.Count == 0)
        {
            return new CrossChunkJudgement([], []);
        }

        var result = JobExposure.CheckAgainstEarlier(earlier.Select(d => d.ToChunkDelivery()).ToList(), chunk, verdict);
        // Each exposure is one of the rows given: it keeps the row's job and the subject's name.
        var rows = earlier.DistinctBy(d => (d.Chunk, d.Recipient, d.SubjectKey)).ToDictionary(d => (d.Chunk, d.Recipient, d.SubjectKey));
        var exposures = result.Exposures.Select(e =>
        {
            var row = rows[(e.Chunk, e.Recipient, e.SubjectKey)];
            return LedgerDelivery.From(row.JobId, e, row.SubjectName);
        }).ToList();
        return new CrossChunkJudgement(result.Findings, exposures);
    }
}
