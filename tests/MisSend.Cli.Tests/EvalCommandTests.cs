using MisSend.Cli;
using MisSend.TestSupport.Corpus.Wild;

namespace MisSend.Cli.Tests;

/// <summary><c>detector eval</c> over the project's labelled corpus, and over small folders that exercise its report and exit codes.</summary>
public sealed class EvalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("missend-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_whole_corpus_meets_every_label()
    {
        WildCorpus.WriteTo(_dir, WildCorpus.All);
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = EvalCommand.Run([_dir], output, errors);

        Assert.True(exit == EvalCommand.ExitAllMet, output + errors.ToString());
        var report = output.ToString();
        var halts = WildCorpus.All.Count(b => b.Leaky);
        var passes = WildCorpus.All.Count - halts;
        Assert.Contains($"{WildCorpus.All.Count} labelled batches: {halts} should halt, {passes} should pass", report);
        Assert.Contains($"recall (leaks halted)           100.0% ({halts}/{halts})", report);
        Assert.Contains($"false-halt rate (clean halted)  0.0% (0/{passes})", report);
        Assert.Contains("every label met", report);
        Assert.Equal("", errors.ToString());
    }

    [Fact]
    public void The_samples_folder_is_labelled_and_every_label_is_met()
    {
        var output = new StringWriter();
        Assert.Equal(EvalCommand.ExitAllMet, EvalCommand.Run([Repository.Samples], output, new StringWriter()));
        Assert.Contains("6 labelled batches: 3 should halt, 3 should pass", output.ToString());
    }

    [Fact]
    public void File_names_label_batches_and_a_miss_is_listed_with_exit_1()
    {
        var leak = WildCorpus.Main.First(b => b.Leaky && !b.Shape.StartsWith("job", StringComparison.Ordinal));
        var clean = WildCorpus.Main.First(b => !b.Leaky && !b.Shape.StartsWith("job", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_dir, "halt-leak.json"), leak.Json);
        File.WriteAllText(Path.Combine(_dir, "pass-clean.json"), clean.Json);
        // Mislabelled on purpose: the detector halts it, so this label is missed.
        File.WriteAllText(Path.Combine(_dir, "pass-mislabelled.json"), leak.Json);
        File.WriteAllText(Path.Combine(_dir, "notes.json"), "{}");

        var output = new StringWriter();
        var exit = EvalCommand.Run([_dir], output, new StringWriter());

        Assert.Equal(EvalCommand.ExitMissed, exit);
        var report = output.ToString();
        Assert.Contains("3 labelled batches: 1 should halt, 2 should pass", report);
        Assert.Contains("false-halt rate (clean halted)  50.0% (1/2)", report);
        Assert.Contains("1 labels missed:", report);
        Assert.Contains($"MISS {Path.Combine(_dir, "pass-mislabelled.json")}: labelled pass, detector halt", report);
        Assert.DoesNotContain("notes.json", report);
    }

    [Fact]
    public void Labels_csv_gives_reasons_and_a_missed_leak_lowers_recall()
    {
        var clean = WildCorpus.Main.First(b => !b.Leaky && !b.Shape.StartsWith("job", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_dir, "a.json"), clean.Json);
        File.WriteAllText(Path.Combine(_dir, "labels.csv"), "file,label,reason\na.json,halt,\"a reviewer thought it leaked, wrongly\"\n");

        var output = new StringWriter();
        Assert.Equal(EvalCommand.ExitMissed, EvalCommand.Run([_dir], output, new StringWriter()));
        Assert.Contains("recall (leaks halted)           0.0% (0/1)", output.ToString());
        Assert.Contains("labelled halt, detector pass — a reviewer thought it leaked, wrongly", output.ToString());
    }

    [Theory]
    [InlineData("file,label\nmissing.json,halt\n", "missing.json: file not found")]
    [InlineData("file,label\nbad.json,pass\n", "bad.json: invalid JSON")]
    [InlineData("file,label\nbad.json,maybe\n", "line 2: expected file,label[,reason] with label pass or halt")]
    public void Unreadable_input_exits_2(string labels, string message)
    {
        File.WriteAllText(Path.Combine(_dir, "bad.json"), "{\"personalizations\": [");
        File.WriteAllText(Path.Combine(_dir, "labels.csv"), labels);
        var errors = new StringWriter();

        Assert.Equal(EvalCommand.ExitUnreadable, EvalCommand.Run([_dir], new StringWriter(), errors));
        Assert.Contains(message, errors.ToString());
    }

    [Fact]
    public void An_empty_or_missing_folder_is_unreadable_not_a_pass()
    {
        var errors = new StringWriter();
        Assert.Equal(EvalCommand.ExitUnreadable, EvalCommand.Run([_dir], new StringWriter(), errors));
        Assert.Contains("no labelled batches", errors.ToString());

        var output = new StringWriter();
        errors = new StringWriter();
        Assert.Equal(EvalCommand.ExitUnreadable, EvalCommand.Run([Path.Combine(_dir, "nope")], output, errors));
        Assert.Contains("directory not found", errors.ToString());
        // Nothing was scored, so nothing may be claimed about labels or rates.
        Assert.Contains("nothing scored", output.ToString());
        Assert.DoesNotContain("met", output.ToString());
        Assert.DoesNotContain("missed", output.ToString());
        Assert.DoesNotContain("%", output.ToString());
    }

    [Fact]
    public void Unreadable_files_beside_scored_ones_are_not_counted_as_met()
    {
        var clean = WildCorpus.Main.First(b => !b.Leaky && !b.Shape.StartsWith("job", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_dir, "pass-clean.json"), clean.Json);
        File.WriteAllText(Path.Combine(_dir, "halt-broken.json"), "{\"personalizations\": [");
        var output = new StringWriter();

        Assert.Equal(EvalCommand.ExitUnreadable, EvalCommand.Run([_dir], output, new StringWriter()));
        Assert.Contains("every scored label met (1 unreadable, not scored)", output.ToString());
        Assert.DoesNotContain("every label met", output.ToString());
    }
}
