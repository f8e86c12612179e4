using MisSend.Core.Batches;
using MisSend.Core.Detection;

namespace MisSend.TestSupport.Corpus.Wild;

/// <summary>Judges labelled batches as the pipeline would: the files of one job together, in chunk order.</summary>
public static class CorpusRun
{
    public static IReadOnlyDictionary<string, ChunkVerdict> Judge(IEnumerable<LabelledBatch> batches)
    {
        var parsed = batches.Select(b => (b.File, Batch: BatchParser.Parse(b.Json))).ToList();
        var results = new Dictionary<string, ChunkVerdict>(StringComparer.Ordinal);
        foreach (var job in parsed.GroupBy(p => p.Batch.JobId ?? p.File))
        {
            var files = job.ToDictionary(p => p.Batch, p => p.File);
            foreach (var verdict in JobScan.Judge(job.Select(p => p.Batch)))
            {
                results[files[verdict.Batch]] = verdict;
            }
        }

        return results;
    }

    /// <summary>"halt wrong-owner@3: …; fan-in@0: …" for a failure message.</summary>
    public static string Explain(ChunkVerdict v) =>
        v.Decision + " " + string.Join("; ", v.Findings.Select(f => $"{f.Rule}@{f.Personalization}: {f.Detail}"));
}
