using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.TestSupport.Corpus;
using static MisSend.TestSupport.Corpus.Bodies;

namespace MisSend.Core.Tests;

/// <summary>Sanity at SendGrid's maximum size. Nothing is timed here: performance is measured by the benchmarks.</summary>
public sealed class ScaleTests
{
    [Fact]
    public void A_clean_batch_of_1000_personalizations_passes()
    {
        var people = JapanesePeople.Make(1000, seed: 1000);
        var verdict = LeakDetector.Scan(BatchParser.Parse(Json(Mail(PerRecipient(people, address: true, subject: p => $"{p.Name}様 お支払いのご案内")))));
        Assert.Equal("pass", verdict.Decision);
        Assert.Equal(1000, verdict.Personalizations);
        Assert.Equal(1000, verdict.Recipients);
        Assert.Equal(1000, verdict.Deliveries.Count);
    }

    [Fact]
    public void A_batch_of_1000_unique_values_builds_and_a_single_shift_is_still_found()
    {
        // Every personalization carries values nobody else has: the needle index holds thousands of entries.
        var people = JapanesePeople.Make(1000, seed: 77).Select(p => p with { Sei = p.Sei + p.Id.ToString("x3"), Seat = $"{p.Seat}-{p.Id}" }).ToList();
        var ps = PerRecipient(people, address: true);
        ps[999] = P(To(people[999]), Guide(people[998], address: true));

        var verdict = LeakDetector.Scan(BatchParser.Parse(Json(Mail(ps))));
        Assert.Contains(verdict.Findings, f => f.Rule == Rules.WrongOwner);
        Assert.All(verdict.Findings, f => Assert.Equal(999, f.Personalization));
        Assert.Equal(999, Assert.Single(verdict.Deliveries, d => d.Misdirected).Personalization);
    }
}
