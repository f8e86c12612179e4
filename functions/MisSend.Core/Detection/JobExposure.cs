using MisSend.Core.Text;

namespace MisSend.Core.Detection;

/// <summary>A delivery an earlier chunk of the job made (a row of the exposure ledger), or one the current chunk would make.</summary>
public sealed record ChunkDelivery(
    int Chunk,
    int Personalization,
    string Recipient,
    string SubjectKey,
    string? SubjectEmail,
    IReadOnlyList<DataCategory> Categories,
    bool OwnerConfirmed,
    bool Misdirected,
    string? Relationship = null)
{
    public static ChunkDelivery From(int chunk, Delivery d) =>
        new(chunk, d.Personalization, d.Recipient, d.SubjectKey, d.SubjectEmail, d.Categories, d.OwnerConfirmed, d.Misdirected, d.Relationship);
}

/// <param name="Findings">Why the current chunk must halt because of what earlier chunks delivered; empty when it may go.</param>
/// <param name="Exposures">
/// Earlier deliveries that turn out to have been exposures (the earlier chunk took its recipient for the data's owner, and
/// this chunk shows otherwise), with the subject's address corrected to where this chunk confirms it, if anywhere.
/// </param>
public sealed record CrossChunkResult(IReadOnlyList<Finding> Findings, IReadOnlyList<ChunkDelivery> Exposures)
{
    public bool Halt => Findings.Count > 0;
}

/// <summary>
/// The judgement across the chunks of one job, pure: the pipeline calls it with the ledger's rows of the job, and
/// <c>detector scan</c> with the deliveries of the job's earlier files. One recipient getting another person's data in a
/// later chunk (fan-in), or one person's data going to another recipient in a later chunk (spread), halts the job.
/// </summary>
public static class JobExposure
{
    public static readonly RuleDescriptor FanInAcrossChunks = new(Rules.FanInAcrossChunks,
        "One recipient gets several people's data across the job", "送信ジョブ全体での複数人分のデータ",
        "Across the parts of one send, one recipient received the personal data of several different people.",
        "分割送信の複数の回にわたり、一人の受信者に別々の方の個人データが届く状態でした。");

    public static readonly RuleDescriptor SpreadAcrossChunks = new(Rules.SpreadAcrossChunks,
        "One person's data to several recipients across the job", "送信ジョブ全体での一人分のデータの複数人への送付",
        "Across the parts of one send, one customer's personal data went to more than one recipient.",
        "分割送信の複数の回にわたり、お一人分の個人データが複数の受信者に届く状態でした。");

    /// <param name="earlier">Deliveries of the job's other chunks (the ledger's rows); rows of <paramref name="chunk"/> itself are ignored.</param>
    /// <param name="chunk">The chunk being judged.</param>
    /// <param name="current">Its verdict from <see cref="LeakDetector.Scan(Batches.OutboundBatch)"/>.</param>
    public static CrossChunkResult CheckAgainstEarlier(IReadOnlyList<ChunkDelivery> earlier, int chunk, Verdict current)
    {
        // Only "this is the recipient's own data" deliveries can contradict each other: a guardian's pupils, a
        // colleague's invoice and deliveries already known to be misdirected are not claims of ownership.
        static bool Owning(string? relationship, bool misdirected) => relationship is null && !misdirected;
        var previous = earlier.Where(e => e.Chunk != chunk && Owning(e.Relationship, e.Misdirected)).ToList();
        var byRecipient = previous.ToLookup(e => e.Recipient, StringComparer.Ordinal);
        var bySubject = previous.ToLookup(e => e.SubjectKey, StringComparer.Ordinal);
        var confirmedNow = current.Deliveries.Where(d => d.OwnerConfirmed).GroupBy(d => d.SubjectKey)
            .ToDictionary(g => g.Key, g => g.First().Recipient, StringComparer.Ordinal);

        var findings = new List<Finding>();
        var exposures = new Dictionary<(int, string, string), ChunkDelivery>();
        void Expose(ChunkDelivery e)
        {
            var corrected = e with
            {
                Misdirected = true,
                SubjectEmail = confirmedNow.GetValueOrDefault(e.SubjectKey) ?? (e.SubjectEmail == e.Recipient ? null : e.SubjectEmail),
            };
            exposures.TryAdd((e.Chunk, e.Recipient, e.SubjectKey), corrected);
        }

        foreach (var d in current.Deliveries.Where(d => Owning(d.Relationship, d.Misdirected)))
        {
            var others = byRecipient[d.Recipient].Where(e => e.SubjectKey != d.SubjectKey && !(e.OwnerConfirmed && d.OwnerConfirmed)).ToList();
            if (others.Count > 0)
            {
                findings.Add(new Finding(FanInAcrossChunks.Id, d.Personalization, d.Categories, 1,
                    $"{Mask.Email(d.Recipient)} already received another person's data in chunk {others[0].Chunk} of this job"));
                foreach (var e in others.Where(e => !e.OwnerConfirmed))
                {
                    Expose(e);
                }
            }

            var spread = bySubject[d.SubjectKey].Where(e => e.Recipient != d.Recipient && !(e.OwnerConfirmed && d.OwnerConfirmed)).ToList();
            if (spread.Count > 0)
            {
                findings.Add(new Finding(SpreadAcrossChunks.Id, d.Personalization, d.Categories, spread.Count,
                    $"the data {Mask.Email(d.Recipient)} gets went to {Mask.List(spread.Select(e => e.Recipient))} in chunk {spread[0].Chunk} of this job"));
                foreach (var e in spread.Where(e => !e.OwnerConfirmed))
                {
                    Expose(e);
                }
            }
        }

        return new CrossChunkResult(findings, exposures.Values.OrderBy(e => e.Chunk).ThenBy(e => e.Personalization).ToList());
    }
}

/// <summary>One chunk of a job judged with what the job's earlier chunks delivered.</summary>
/// <param name="HaltedEarlier">The chunk at which the job had already halted, when an earlier chunk halted it.</param>
public sealed record ChunkVerdict(Batches.OutboundBatch Batch, Verdict Verdict, CrossChunkResult Across, int? HaltedEarlier)
{
    public bool Halt => Verdict.Halt || Across.Halt;

    public string Decision => Halt ? "halt" : "pass";

    public IReadOnlyList<Finding> Findings => [.. Verdict.Findings, .. Across.Findings];
}

public static class JobScan
{
    /// <summary>
    /// The chunks of one job in chunk order, each judged as the pipeline judges it: by its own content, then against
    /// the deliveries of the chunks before it that passed (those are the ones the pipeline would have sent).
    /// </summary>
    public static IReadOnlyList<ChunkVerdict> Judge(IEnumerable<Batches.OutboundBatch> chunks)
    {
        var sent = new List<ChunkDelivery>();
        var results = new List<ChunkVerdict>();
        int? haltedAt = null;
        foreach (var batch in chunks.OrderBy(b => b.Chunk))
        {
            var verdict = LeakDetector.Scan(batch);
            var across = JobExposure.CheckAgainstEarlier(sent, batch.Chunk, verdict);
            var result = new ChunkVerdict(batch, verdict, across, haltedAt);
            results.Add(result);
            if (result.Halt)
            {
                haltedAt ??= batch.Chunk;
            }
            else
            {
                sent.AddRange(verdict.Deliveries.Select(d => ChunkDelivery.From(batch.Chunk, d)));
            }
        }

        return results;
    }
}
