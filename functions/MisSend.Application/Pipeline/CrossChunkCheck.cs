using MisSend.Application.Model;
using MisSend.Core.Detection;
using MisSend.Core.Text;

namespace MisSend.Application.Pipeline;

/// <param name="Findings">Why this chunk must halt (empty: it may be sent).</param>
/// <param name="Exposures">Earlier deliveries that, in the light of this chunk, carried someone else's data.</param>
public sealed record CrossChunkJudgement(IReadOnlyList<Finding> Findings, IReadOnlyList<LedgerDelivery> Exposures);

/// <summary>
/// The judgement across the chunks of one job: the deliveries already in the ledger (sent, or in flight) against
/// the new chunk's verdict. Pure, and the only place this judgement is made, so that it can be replaced whole.
/// </summary>
public static class CrossChunkCheck
{
    /// <param name="earlier">Deliveries of the job's other chunks to this chunk's recipients that reached, or may reach, them.</param>
    public static CrossChunkJudgement Judge(int chunk, Verdict verdict, IReadOnlyList<LedgerDelivery> earlier)
    {
        var findings = new List<Finding>();
        var exposures = new List<LedgerDelivery>();
        foreach (var delivery in verdict.Deliveries.DistinctBy(d => d.Recipient))
        {
            var others = earlier.Where(e => e.Chunk != chunk && e.Recipient == delivery.Recipient && e.SubjectKey != delivery.SubjectKey).ToList();
            if (others.Count == 0)
            {
                continue;
            }

            findings.Add(new Finding(Rules.FanInAcrossChunks, delivery.Personalization, delivery.Categories, 1,
                $"{Mask.Email(delivery.Recipient)} already received another person's data in chunk {others.Min(o => o.Chunk)} of this job"));

            // The earlier mail only assumed its recipient owned the data, wrongly: the subject's real address is where
            // this chunk confirms them, if it does; it is never the recipient's.
            exposures.AddRange(others.Where(o => !o.OwnerConfirmed).Select(o => o with
            {
                SubjectEmail = verdict.Deliveries.FirstOrDefault(d => d.SubjectKey == o.SubjectKey && d.OwnerConfirmed)?.Recipient
                    ?? (o.SubjectEmail == o.Recipient ? null : o.SubjectEmail),
            }));
        }

        return new CrossChunkJudgement(findings, exposures);
    }
}
