using BenchmarkDotNet.Attributes;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.Core.Text;

namespace MisSend.Benchmarks;

/// <summary>
/// The detector against the obvious implementation: compare every personalization's values with every other
/// personalization's mail using <c>string.Contains</c>. Same bytes, same parser; only the comparison differs.
/// </summary>
[CpuJob, MemoryDiagnoser, PerPersonalizationColumn]
public class NaiveComparisonBenchmarks
{
    [Params(100, 1000)]
    public int N { get; set; }

    private byte[] _body = [];

    [GlobalSetup]
    public void Setup() => _body = JapaneseBatches.Clean(N);

    [Benchmark(Baseline = true, Description = "Detector (Parse + Scan)")]
    public Verdict Detector() => LeakDetector.Scan(BatchParser.Parse(_body));

    [Benchmark(Description = "Naive pairwise Contains (Parse + O(n²))")]
    public int Naive() => NaiveScan(BatchParser.Parse(_body));

    /// <summary>
    /// Every value of personalization j (normalized once) is looked for with <c>string.Contains</c> in the mail of every
    /// other personalization i (its subject, data and recipients, normalized once). Counts the hits.
    /// </summary>
    public static int NaiveScan(OutboundBatch batch)
    {
        var ps = batch.Mail.Personalizations;
        var values = new string[ps.Count][];
        var mails = new string[ps.Count];
        for (var i = 0; i < ps.Count; i++)
        {
            var p = ps[i];
            values[i] = p.Data.Select(kv => TextNormalizer.Normalize(kv.Value)).Where(v => v.Length >= 3).ToArray();
            mails[i] = string.Join('\n', [
                TextNormalizer.Normalize(p.Subject ?? ""), .. values[i], .. p.AllRecipients.Select(r => TextNormalizer.NormalizeEmail(r.Email))]);
        }

        var hits = 0;
        for (var i = 0; i < ps.Count; i++)
        {
            for (var j = 0; j < ps.Count; j++)
            {
                if (i == j)
                {
                    continue;
                }

                foreach (var v in values[j])
                {
                    if (mails[i].Contains(v, StringComparison.Ordinal))
                    {
                        hits++;
                    }
                }
            }
        }

        return hits;
    }
}
