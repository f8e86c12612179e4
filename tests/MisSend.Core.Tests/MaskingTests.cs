using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.TestSupport.Corpus;
using MisSend.Core.Text;

namespace MisSend.Core.Tests;

/// <summary>Findings are shown to operators and written to logs: they must never carry raw personal data.</summary>
public sealed class MaskingTests
{
    [Fact]
    public void No_finding_detail_in_the_corpus_contains_a_recipient_address_name_or_data_value()
    {
        var checkedDetails = 0;
        foreach (var c in BatchCorpus.All.Append(SampleCase("incident-replay.json")).Append(SampleCase("rows-shifted.json")))
        {
            var batch = BatchParser.Parse(c.Json);
            var verdict = LeakDetector.Scan(batch);
            var secrets = Secrets(batch).ToList();
            foreach (var f in verdict.Findings)
            {
                checkedDetails++;
                var raw = f.Detail;
                var norm = TextNormalizer.Normalize(raw);
                foreach (var (secret, normSecret) in secrets)
                {
                    Assert.False(raw.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{c.Name}: '{raw}' leaks a value");
                    Assert.False(norm.Contains(normSecret, StringComparison.Ordinal), $"{c.Name}: '{raw}' leaks a value (normalized)");
                }
            }
        }

        Assert.True(checkedDetails >= 40, $"only {checkedDetails} finding details were checked");
    }

    [Fact]
    public void Deliveries_are_not_findings_but_findings_in_leaky_cases_point_at_people()
    {
        foreach (var c in BatchCorpus.All.Where(c => c.Leaky))
        {
            var verdict = LeakDetector.Scan(BatchParser.Parse(c.Json));
            Assert.All(verdict.Findings, f => Assert.True(f.People > 0, $"{c.Name}: {f.Rule} exposes nobody"));
            Assert.All(verdict.Findings, f => Assert.NotEmpty(f.Categories));
        }
    }

    /// <summary>Every address, display name and merge value that could identify someone (short shared values excluded).</summary>
    private static IEnumerable<(string Raw, string Norm)> Secrets(OutboundBatch batch)
    {
        var values = new List<string>();
        foreach (var p in batch.Mail.Personalizations)
        {
            foreach (var a in p.AllRecipients)
            {
                values.Add(a.Email);
                values.Add(a.Email.Split('@')[0]);
                if (a.Name is not null)
                {
                    values.Add(TextNormalizer.NormalizeName(a.Name));
                }
            }

            values.AddRange(p.Data.Select(d => d.Value));
        }

        foreach (var v in values.Distinct())
        {
            var norm = TextNormalizer.Normalize(v);
            var longEnough = System.Text.Ascii.IsValid(norm) ? norm.Length >= 6 : norm.Length >= 2;
            if (longEnough)
            {
                yield return (v, norm);
            }
        }
    }

    private static CorpusCase SampleCase(string file) =>
        new(file, "halt", File.ReadAllText(Path.Combine(Repository.Samples, file)));
}
