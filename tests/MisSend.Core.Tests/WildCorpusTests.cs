using MisSend.TestSupport.Corpus.Wild;

namespace MisSend.Core.Tests;

/// <summary>The labelled corpus through <c>LeakDetector.Scan</c> and <c>JobExposure</c> directly (the CLI tests run it through <c>detector eval</c>).</summary>
public sealed class WildCorpusTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, Core.Detection.ChunkVerdict>> Results = new(() => CorpusRun.Judge(WildCorpus.All));

    public static TheoryData<string> MainFiles() => new(WildCorpus.Main.Select(b => b.File));

    [Theory]
    [MemberData(nameof(MainFiles))]
    public void Every_label_is_met(string file)
    {
        var batch = WildCorpus.All.Single(b => b.File == file);
        var verdict = Results.Value[file];
        Assert.True(verdict.Decision == batch.Label, $"{file} ({batch.Reason}): expected {batch.Label}, got {CorpusRun.Explain(verdict)}");
    }
}
