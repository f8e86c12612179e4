using System.Text.Json.Nodes;
using CsCheck;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.TestSupport.Corpus;
using static MisSend.TestSupport.Corpus.Bodies;

namespace MisSend.Core.Tests;

/// <summary>Random correct per-recipient batches of 1–300 Japanese holders, with shared seats and prices.</summary>
public sealed class PropertyTests
{
    private const long Iterations = 60;

    /// <summary>(people, shared seat index or -1, with per-personalization subject, with address data)</summary>
    private static readonly Gen<(List<Person> People, int SharedSeat, bool Subjects, bool Address)> Batches =
        Gen.Select(Gen.Int[1, 300], Gen.Int, Gen.Int[-1, JapanesePeople.Seats.Length - 1], Gen.Bool, Gen.Bool)
            .Select((n, seed, seat, subjects, address) =>
            {
                var people = JapanesePeople.Make(n, seed);
                if (seat >= 0)
                {
                    var (s, a) = JapanesePeople.Seats[seat];
                    people = people.Select(p => p with { Seat = s, Amount = a }).ToList();
                }

                return (people, seat, subjects, address);
            });

    private static List<JsonObject> Build(List<Person> people, bool subjects, bool address, Func<int, Person>? dataOf = null) =>
        people.Select((p, i) => P(To(p), Guide(dataOf?.Invoke(i) ?? p, address: address),
            subjects ? $"{(dataOf?.Invoke(i) ?? p).Name}様 お支払いのご案内" : null)).ToList();

    private static Verdict Scan(List<JsonObject> personalizations) =>
        LeakDetector.Scan(BatchParser.Parse(Json(Mail(personalizations))));

    [Fact]
    public void A_correct_per_recipient_batch_always_passes() =>
        Batches.Sample(b =>
        {
            var verdict = Scan(Build(b.People, b.Subjects, b.Address));
            Assert.True(verdict.Decision == "pass",
                string.Join("; ", verdict.Findings.Select(f => $"{f.Rule}@{f.Personalization}: {f.Detail}")));
            Assert.All(verdict.Deliveries, d => Assert.False(d.Misdirected));
        }, iter: Iterations);

    [Fact]
    public void Swapping_the_data_of_any_two_recipients_always_halts() =>
        Batches.Where(b => b.People.Count >= 2)
            .SelectMany(b => Gen.Int[0, b.People.Count - 1].Select(Gen.Int[1, b.People.Count - 1], (i, d) => (b, i, j: (i + d) % b.People.Count)))
            .Sample(t =>
            {
                var (b, i, j) = t;
                var verdict = Scan(Build(b.People, b.Subjects, b.Address, k => b.People[k == i ? j : k == j ? i : k]));
                Assert.Equal("halt", verdict.Decision);
                Assert.Contains(verdict.Findings, f => f.Rule == Rules.WrongOwner && (f.Personalization == i || f.Personalization == j));
                Assert.Contains(verdict.Deliveries, d => d.Misdirected);
            }, iter: Iterations);

    [Fact]
    public void Adding_any_other_recipients_address_in_cc_always_halts() =>
        Batches.Where(b => b.People.Count >= 2)
            .SelectMany(b => Gen.Int[0, b.People.Count - 1].Select(Gen.Int[1, b.People.Count - 1], (i, d) => (b, i, j: (i + d) % b.People.Count)))
            .Sample(t =>
            {
                var (b, i, j) = t;
                var ps = Build(b.People, b.Subjects, b.Address);
                ps[i]["cc"] = new JsonArray(Addr(b.People[j].Email));
                var verdict = Scan(ps);
                Assert.Equal("halt", verdict.Decision);
                Assert.Contains(verdict.Findings, f => f.Rule == Rules.VisibleRecipients && f.Personalization == i);
                Assert.Contains(verdict.Findings, f => f.Rule == Rules.SharedPersonalData && f.Personalization == i);
            }, iter: Iterations);

    [Fact]
    public void Shifting_all_rows_by_one_always_halts_on_every_row() =>
        Batches.Where(b => b.People.Count >= 2).Sample(b =>
        {
            var n = b.People.Count;
            var verdict = Scan(Build(b.People, b.Subjects, b.Address, k => b.People[(k + 1) % n]));
            var flagged = verdict.Findings.Where(f => f.Rule == Rules.WrongOwner).Select(f => f.Personalization).Distinct().Count();
            Assert.Equal(n, flagged);
        }, iter: Iterations);
}
