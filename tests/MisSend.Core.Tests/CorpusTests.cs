using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.TestSupport.Corpus;

namespace MisSend.Core.Tests;

public sealed class CorpusTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in BatchCorpus.All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Fact]
    public void Corpus_is_large_and_balanced()
    {
        Assert.True(BatchCorpus.All.Count >= 40, $"corpus has {BatchCorpus.All.Count} cases");
        Assert.True(BatchCorpus.All.Count(c => c.Leaky) >= 15);
        Assert.True(BatchCorpus.All.Count(c => !c.Leaky) >= 15);
        Assert.Equal(BatchCorpus.All.Count, BatchCorpus.All.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Detector_gives_the_expected_verdict(string name)
    {
        var c = BatchCorpus.Get(name);
        var verdict = LeakDetector.Scan(BatchParser.Parse(c.Json));

        var why = string.Join("; ", verdict.Findings.Select(f => $"{f.Rule}@{f.Personalization}: {f.Detail}"));
        Assert.True(c.Expected == verdict.Decision, $"{name}: expected {c.Expected}, got {verdict.Decision} [{why}]");
        if (c.Rule is not null)
        {
            Assert.Contains(verdict.Findings, f => f.Rule == c.Rule);
        }
    }

    [Theory]
    [InlineData("payment-guide.json", "pass", 0)]
    [InlineData("incident-replay.json", "halt", 1)]
    [InlineData("rows-shifted.json", "halt", 1)]
    public void Samples_give_the_expected_verdict(string sample, string expected, int exit)
    {
        var file = Path.Combine(Repository.Samples, sample);
        Assert.Equal(expected, LeakDetector.Scan(BatchParser.Parse(File.ReadAllBytes(file))).Decision);
        Assert.Equal(exit == 0 ? "pass" : "halt", expected);
    }

    [Fact]
    public void Incident_replay_sample_records_misdirected_deliveries_and_rows_shifted_names_wrong_owner()
    {
        var replay = LeakDetector.Scan(BatchParser.Parse(File.ReadAllBytes(Path.Combine(Repository.Samples, "incident-replay.json"))));
        Assert.Contains(replay.Findings, f => f.Rule == Rules.SharedPersonalData);
        Assert.True(replay.Deliveries.Count(d => d.Misdirected) >= 29 * 29);

        var shifted = LeakDetector.Scan(BatchParser.Parse(File.ReadAllBytes(Path.Combine(Repository.Samples, "rows-shifted.json"))));
        Assert.Contains(shifted.Findings, f => f.Rule == Rules.WrongOwner);
    }
}
