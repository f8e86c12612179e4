using System.Text;
using MisSend.Core.Batches;

namespace MisSend.Cli;

/// <summary>
/// <c>detector eval DIR...</c>: scans labelled batches (<c>pass-*</c> / <c>halt-*</c> file names, or a <c>labels.csv</c> of
/// <c>file,label[,reason]</c>) and reports how the detector does on them: a confusion table, recall, the false-halt rate
/// and every miss with its reason. Exit 0 when every label is met, 1 when one is missed, 2 when input is unreadable.
/// Run it on your own archive before switching the detector on.
/// </summary>
public static class EvalCommand
{
    public const int ExitAllMet = 0;
    public const int ExitMissed = 1;
    public const int ExitUnreadable = 2;

    public sealed record Labelled(string File, string Label, string? Reason);

    public sealed record Outcome(Labelled Case, ScanResult Result)
    {
        public bool Met => Result.Verdict == Case.Label;
    }

    public static int Run(IReadOnlyList<string> directories, TextWriter output, TextWriter errors)
    {
        var problems = new List<string>();
        var cases = new List<Labelled>();
        foreach (var dir in directories)
        {
            cases.AddRange(Collect(dir, problems));
        }

        if (cases.Count == 0 && problems.Count == 0)
        {
            problems.Add($"no labelled batches in {string.Join(", ", directories)} (name files pass-*.json / halt-*.json, or add a labels.csv)");
        }

        var results = ScanCommand.ScanFiles(cases.Select(c => c.File).ToList());
        var outcomes = cases.Zip(results, (c, r) => new Outcome(c, r)).ToList();
        foreach (var o in outcomes.Where(o => o.Result.Verdict == "error"))
        {
            problems.Add($"{o.Case.File}: {o.Result.Error}");
        }

        Report(outcomes.Where(o => o.Result.Verdict != "error").ToList(), problems.Count, output);
        foreach (var p in problems)
        {
            errors.WriteLine($"unreadable: {p}");
        }

        return problems.Count > 0 ? ExitUnreadable : outcomes.All(o => o.Met) ? ExitAllMet : ExitMissed;
    }

    /// <summary>The labelled files of one directory: its labels.csv when there is one, else pass-*/halt-* names (searched recursively).</summary>
    public static List<Labelled> Collect(string directory, List<string> problems)
    {
        if (!Directory.Exists(directory))
        {
            problems.Add($"{directory}: directory not found");
            return [];
        }

        var csv = Path.Combine(directory, "labels.csv");
        if (!File.Exists(csv))
        {
            return Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
                .Select(f => (File: f, Name: Path.GetFileName(f)))
                .Where(f => f.Name.StartsWith("pass-", StringComparison.OrdinalIgnoreCase) || f.Name.StartsWith("halt-", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f.File, StringComparer.Ordinal)
                .Select(f => new Labelled(f.File, f.Name[..4].ToLowerInvariant(), null))
                .ToList();
        }

        var list = new List<Labelled>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(csv))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line) || (lineNo == 1 && line.StartsWith("file,", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var fields = SplitCsv(line);
            if (fields.Count < 2 || fields[1].Trim().ToLowerInvariant() is not ("pass" or "halt"))
            {
                problems.Add($"{csv} line {lineNo}: expected file,label[,reason] with label pass or halt");
                continue;
            }

            list.Add(new Labelled(Path.Combine(directory, fields[0].Trim()), fields[1].Trim().ToLowerInvariant(), fields.Count > 2 ? fields[2] : null));
        }

        return list;
    }

    private static void Report(List<Outcome> outcomes, int unreadable, TextWriter w)
    {
        if (outcomes.Count == 0)
        {
            // No table and no rates: with nothing scored, "every label met" or "0.0%" would be a statement the run cannot make.
            w.WriteLine("nothing scored: no labelled batch could be read");
            return;
        }

        int Count(string label, string verdict) => outcomes.Count(o => o.Case.Label == label && o.Result.Verdict == verdict);
        var (tp, fn, fp, tn) = (Count("halt", "halt"), Count("halt", "pass"), Count("pass", "halt"), Count("pass", "pass"));
        w.WriteLine($"{outcomes.Count} labelled batches: {tp + fn} should halt, {fp + tn} should pass");
        w.WriteLine();
        w.WriteLine("                   detector: halt   detector: pass");
        w.WriteLine($"labelled halt     {tp,14}   {fn,14}");
        w.WriteLine($"labelled pass     {fp,14}   {tn,14}");
        w.WriteLine();
        w.WriteLine($"recall (leaks halted)           {Rate(tp, tp + fn)}");
        w.WriteLine($"false-halt rate (clean halted)  {Rate(fp, fp + tn)}");
        var misses = outcomes.Where(o => !o.Met).ToList();
        var notScored = unreadable > 0 ? $" ({unreadable} unreadable, not scored)" : "";
        w.WriteLine(misses.Count == 0 ? (unreadable > 0 ? $"every scored label met{notScored}" : "every label met") : $"{misses.Count} labels missed{notScored}:");
        foreach (var o in misses)
        {
            var why = o.Case.Reason is { Length: > 0 } r ? $" — {r}" : "";
            var found = o.Result.Findings.Count > 0 ? $" [{string.Join("; ", o.Result.Findings.Select(f => $"{f.Rule}: {f.Detail}").Distinct().Take(3))}]" : "";
            w.WriteLine($"  MISS {o.Case.File}: labelled {o.Case.Label}, detector {o.Result.Verdict}{why}{found}");
        }
    }

    private static string Rate(int part, int whole) => whole == 0 ? "n/a (none labelled)" : $"{100.0 * part / whole:0.0}% ({part}/{whole})";

    /// <summary>Splits one CSV line: commas, double-quoted fields with "" escapes.</summary>
    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
