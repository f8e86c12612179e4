using MisSend.Cli;

namespace MisSend.Cli.Tests;

/// <summary>
/// <c>tests/blind-corpus</c>, <c>-2</c> and <c>-3</c> (batches written without looking at the detector) through the code
/// <c>detector eval</c> runs. A set is no longer blind once the detector was changed by looking at it: sets 1 and 2 are
/// regression checks; set 3 is still held out.
/// </summary>
public sealed class BlindCorpusTests
{
    private static readonly string Directory = Path.Combine(Repository.Root, "tests", "blind-corpus");

    /// <summary>Labels the detector does not meet, each with the reason; the test fails when one starts passing or another starts failing.</summary>
    private static readonly Dictionary<string, string> ExpectedMisses = new(StringComparer.Ordinal)
    {
        // Kanji names with no display name, no kana reading and no owner address in the data: only a reading of the kanji
        // (高橋 智子 → takahashi.tomoko) would tie an address to its row, and the detector has no name-reading dictionary.
        ["halt-city-residence-certificate-shifted.json"] = "halt",
    };

    [Fact]
    public void Every_label_is_met_but_the_listed_misses() => AssertMisses(Directory, 118, ExpectedMisses);

    [Fact]
    public void Eval_reports_the_measured_recall_and_false_halt_rate() => AssertReport(Directory, ExpectedMisses,
        "118 labelled batches: 55 should halt, 63 should pass", "recall (leaks halted)           98.2% (54/55)", "false-halt rate (clean halted)  0.0% (0/63)");

    private static readonly string SecondDirectory = Path.Combine(Repository.Root, "tests", "blind-corpus-2");

    /// <summary>
    /// <c>tests/blind-corpus-2</c>: measured held-out at 86.2% recall and 12.5% false halts, then the detector was fixed by
    /// class on it, so it too is a regression check now.
    /// </summary>
    private static readonly Dictionary<string, string> SecondExpectedMisses = new(StringComparer.Ordinal)
    {
        // The preheader is free text ("Frank Freeman, your stay ... is confirmed") under a key that says nothing, and the next
        // guest is known to the batch only by a first name and an address: no full name of the batch to find in it.
        ["halt-hotel-confirmation-preheader-other-guest.json"] = "halt",
        // The katakana holder is part of the account value ("みずほ銀行 本店 普通 … ヒグチ ヒデキ") beside a kanji name: without a
        // reading dictionary the holder cannot be told from the customer, and the account number is nobody else's in the batch.
        ["halt-refund-notice-account-of-another-customer.json"] = "halt",
        // from.name is a customer who is not otherwise in the batch: nothing tells her from an owner who signs with her own name.
        ["halt-salon-reminder-from-name-is-a-customer.json"] = "halt",
        // The student block moved to another family: the pupil's surname differs from the guardian's, which a stepchild's or a
        // grandchild's also does; that it is another guardian's surname is not read as "another family's child".
        ["halt-school-trip-notice-guardian-student-mismatch.json"] = "halt",
    };

    [Fact]
    public void Second_set_every_label_is_met_but_the_listed_misses() => AssertMisses(SecondDirectory, 122, SecondExpectedMisses);

    [Fact]
    public void Second_set_eval_reports_the_measured_recall_and_false_halt_rate() => AssertReport(SecondDirectory, SecondExpectedMisses,
        "122 labelled batches: 58 should halt, 64 should pass", "recall (leaks halted)           93.1% (54/58)", "false-halt rate (clean halted)  0.0% (0/64)");

    private static readonly string ThirdDirectory = Path.Combine(Repository.Root, "tests", "blind-corpus-3");

    /// <summary>
    /// <c>tests/blind-corpus-3</c>: held out. Nobody changed the detector by looking at it; these are the labels it misses
    /// as measured, in the classes they show, so that a fix or a regression on unseen mail is noticed.
    /// </summary>
    private static readonly Dictionary<string, string> ThirdExpectedMisses = new(StringComparer.Ordinal)
    {
        // A member or volunteer list in an attachment or a pasted table (names with mobile numbers) of people the batch
        // does not otherwise write to.
        ["halt-gym-timetable-with-member-list-txt.json"] = "halt",
        ["halt-npo-french-food-bank-volunteer-phone-list.json"] = "halt",
        // One mail whose attachment is another client's document: one recipient, one stranger, nothing else in the batch.
        ["halt-accounting-tax-summary-attachment-of-another-client.json"] = "halt",
        // One person's data copied to everyone without an address of theirs in the batch (Spanish lab results, a Chinese
        // subject line).
        ["halt-clinic-spanish-lab-results-one-patient-to-all.json"] = "halt",
        ["halt-shop-chinese-shipping-subject-one-customer.json"] = "halt",
        // A greeting shifted from row 4 with no display names: only the address spells who the recipient is.
        ["halt-gym-english-renewal-greeting-shifted-from-row4.json"] = "halt",
        // False halts: the sender's own from.name read as a person; a client company's legal team in cc; a family plan and
        // a group booking whose members are read as other people of the batch.
        ["pass-npo-volunteer-call-bcc-no-personal-data.json"] = "pass",
        ["pass-lawfirm-english-matter-update-client-legal-team-cc.json"] = "pass",
        ["pass-carrier-family-plan-lines-to-account-holder.json"] = "pass",
        ["pass-travel-lead-booker-sees-own-companions.json"] = "pass",
    };

    [Fact]
    public void Third_set_held_out_misses_only_the_listed_labels() => AssertMisses(ThirdDirectory, 106, ThirdExpectedMisses);

    [Fact]
    public void Third_set_eval_reports_the_measured_recall_and_false_halt_rate() => AssertReport(ThirdDirectory, ThirdExpectedMisses,
        "106 labelled batches: 47 should halt, 59 should pass", "recall (leaks halted)           87.2% (41/47)", "false-halt rate (clean halted)  6.8% (4/59)");

    private static void AssertMisses(string directory, int count, Dictionary<string, string> expectedMisses)
    {
        var problems = new List<string>();
        var cases = EvalCommand.Collect(directory, problems);
        Assert.Empty(problems);
        Assert.Equal(count, cases.Count);

        var results = ScanCommand.ScanFiles(cases.Select(c => c.File).ToList());
        Assert.All(results, r => Assert.NotEqual("error", r.Verdict));
        var missed = cases.Zip(results)
            .Where(p => p.Second.Verdict != p.First.Label)
            .ToDictionary(p => Path.GetFileName(p.First.File), p => p.First.Label);

        Assert.Equal(expectedMisses.OrderBy(m => m.Key), missed.OrderBy(m => m.Key));
    }

    private static void AssertReport(string directory, Dictionary<string, string> expectedMisses, params string[] lines)
    {
        var output = new StringWriter();

        var exit = EvalCommand.Run([directory], output, new StringWriter());

        var report = output.ToString();
        Assert.Equal(expectedMisses.Count == 0 ? EvalCommand.ExitAllMet : EvalCommand.ExitMissed, exit);
        Assert.All(lines, line => Assert.Contains(line, report));
    }
}
