using System.Text.Json;
using MisSend.Cli;
using MisSend.Core.Batches;
using MisSend.TestSupport.Corpus;

namespace MisSend.Cli.Tests;

/// <summary>The corpus and the samples through <c>detector scan</c>, in process.</summary>
public sealed class ScanCommandTests
{
    public static TheoryData<string> Cases() => BatchCorpus.All.Aggregate(new TheoryData<string>(), (d, c) => { d.Add(c.Name); return d; });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scan_command_gives_the_expected_exit_code_and_json(string name)
    {
        var c = BatchCorpus.Get(name);
        var file = Path.Combine(Path.GetTempPath(), $"missend-corpus-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, c.Json);
        try
        {
            var output = new StringWriter();
            var errors = new StringWriter();
            var exit = ScanCommand.Run([file], json: true, output, errors);

            Assert.Equal(c.Leaky ? ScanCommand.ExitHalt : ScanCommand.ExitPass, exit);
            Assert.Equal("", errors.ToString());
            using var line = JsonDocument.Parse(output.ToString().Trim());
            var root = line.RootElement;
            Assert.Equal(file, root.GetProperty("file").GetString());
            Assert.Equal(c.Expected, root.GetProperty("verdict").GetString());
            var parsed = BatchParser.Parse(c.Json);
            Assert.Equal(parsed.Mail.Personalizations.Count, root.GetProperty("personalizations").GetInt32());
            Assert.Equal(parsed.Mail.Personalizations.SelectMany(p => p.AllRecipients).Select(a => a.Email.ToLowerInvariant()).Distinct().Count(),
                root.GetProperty("recipients").GetInt32());
            var findings = root.GetProperty("findings").EnumerateArray().ToList();
            Assert.Equal(c.Leaky, findings.Count > 0);
            foreach (var f in findings)
            {
                Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("rule").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("detail").GetString()));
                var p = f.GetProperty("personalization");
                Assert.True(p.ValueKind == JsonValueKind.Null || (p.GetInt32() >= 0 && p.GetInt32() < parsed.Mail.Personalizations.Count));
            }

            if (c.Rule is not null)
            {
                Assert.Contains(findings, f => f.GetProperty("rule").GetString() == c.Rule);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("payment-guide.json", "pass", ScanCommand.ExitPass)]
    [InlineData("incident-replay.json", "halt", ScanCommand.ExitHalt)]
    [InlineData("rows-shifted.json", "halt", ScanCommand.ExitHalt)]
    public void Samples_through_the_command(string sample, string expected, int exit)
    {
        var file = Path.Combine(Repository.Samples, sample);
        var output = new StringWriter();
        Assert.Equal(exit, ScanCommand.Run([file], json: true, output, new StringWriter()));
        using var line = JsonDocument.Parse(output.ToString().Trim());
        Assert.Equal(expected, line.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(file, line.RootElement.GetProperty("file").GetString());
    }

    [Fact]
    public void Chunks_of_one_job_are_judged_together_and_the_multi_chunk_sample_halts_at_chunk_2()
    {
        var dir = Path.Combine(Repository.Samples, "multi-chunk");
        // Given out of order: the job is still judged in chunk order.
        string[] files = [Path.Combine(dir, "chunk-3.json"), Path.Combine(dir, "chunk-1.json"), Path.Combine(dir, "chunk-2.json")];
        var output = new StringWriter();

        Assert.Equal(ScanCommand.ExitHalt, ScanCommand.Run(files, json: true, output, new StringWriter()));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(files, lines.Select(l => l.GetProperty("file").GetString()));
        var byChunk = lines.ToDictionary(l => l.GetProperty("chunk").GetInt32());
        Assert.Equal("pass", byChunk[1].GetProperty("verdict").GetString());
        Assert.Equal("halt", byChunk[2].GetProperty("verdict").GetString());
        Assert.Contains(byChunk[2].GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == Core.Detection.Rules.FanInAcrossChunks);
        Assert.Equal(2, byChunk[3].GetProperty("haltedAtChunk").GetInt32());
        Assert.All(lines, l => Assert.Equal("reds-2027-renewal", l.GetProperty("job").GetString()));
    }

    [Fact]
    public void Each_chunk_alone_passes_which_is_why_the_job_must_be_judged_together()
    {
        foreach (var chunk in new[] { "chunk-1.json", "chunk-2.json", "chunk-3.json" })
        {
            var file = Path.Combine(Path.GetTempPath(), $"missend-{Guid.NewGuid():N}.json");
            // The same body without its envelope: a job of one chunk.
            using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Samples, "multi-chunk", chunk))))
            {
                File.WriteAllText(file, doc.RootElement.GetProperty("mail").GetRawText());
            }

            try
            {
                Assert.Equal(ScanCommand.ExitPass, ScanCommand.Run([file], json: true, new StringWriter(), new StringWriter()));
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void The_job_option_joins_bare_bodies_in_the_order_given()
    {
        var dir = Directory.CreateTempSubdirectory("missend-job-").FullName;
        try
        {
            var files = new[] { "chunk-1.json", "chunk-2.json" }.Select(chunk =>
            {
                var path = Path.Combine(dir, chunk);
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Samples, "multi-chunk", chunk)));
                File.WriteAllText(path, doc.RootElement.GetProperty("mail").GetRawText());
                return path;
            }).ToArray();

            var output = new StringWriter();
            Assert.Equal(ScanCommand.ExitPass, ScanCommand.Run(files, json: false, output, new StringWriter()));
            Assert.Equal(ScanCommand.ExitHalt, ScanCommand.Run(files, json: false, output, new StringWriter(), job: "renewal"));
            Assert.Contains("job renewal, chunk 2/2", output.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Several_files_on_one_command_line_exit_with_the_worst_verdict()
    {
        var pass = Path.Combine(Repository.Samples, "payment-guide.json");
        var halt = Path.Combine(Repository.Samples, "rows-shifted.json");
        var output = new StringWriter();
        Assert.Equal(ScanCommand.ExitHalt, ScanCommand.Run([pass, halt], json: false, output, new StringWriter()));
        Assert.Contains("PASS", output.ToString());
        Assert.Contains("HALT", output.ToString());
    }
}
