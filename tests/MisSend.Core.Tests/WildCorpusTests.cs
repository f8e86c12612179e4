using MisSend.TestSupport.Corpus.Wild;

namespace MisSend.Core.Tests;

/// <summary>The labelled corpus through <c>LeakDetector.Scan</c> and <c>JobExposure</c> directly (the CLI tests run it through <c>detector eval</c>).</summary>
public sealed class WildCorpusTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, Core.Detection.ChunkVerdict>> Results = new(() => CorpusRun.Judge(WildCorpus.All));

    public static TheoryData<string> Files() => new(WildCorpus.All.Select(b => b.File));

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_label_is_met(string file)
    {
        var batch = WildCorpus.All.Single(b => b.File == file);
        var verdict = Results.Value[file];
        Assert.True(verdict.Decision == batch.Label, $"{file} ({batch.Reason}): expected {batch.Label}, got {CorpusRun.Explain(verdict)}");
    }

    [Fact]
    public void Corpus_covers_industries_languages_labels_and_shapes()
    {
        var main = WildCorpus.Main;
        Assert.True(main.Count >= 200, $"{main.Count} batches");
        Assert.Equal(main.Count, main.Select(b => b.File).Distinct().Count());
        Assert.True(main.Select(b => b.Industry).Distinct().Count() >= 6);
        Assert.Equal(["de", "en", "fr", "ja"], main.Select(b => b.Language).Distinct().Order());
        foreach (var label in new[] { "pass", "halt" })
        {
            var labelled = main.Where(b => b.Label == label).ToList();
            Assert.True(labelled.Count >= 70, $"{labelled.Count} {label}");
            foreach (var shape in new[] { "dtd", "subs", "native-keys", "en-keys", "display", "no-display", "email-key", "no-email-key" })
            {
                Assert.Contains(labelled, b => b.Shape.Split(',').Contains(shape));
            }
        }

        Assert.All(WildCorpus.All, b => Assert.False(string.IsNullOrWhiteSpace(b.Reason)));
        Assert.True(HeldOutCorpus.All.Count >= 30);
        Assert.All(HeldOutCorpus.All, b => Assert.True(b.HeldOut));
    }
}
