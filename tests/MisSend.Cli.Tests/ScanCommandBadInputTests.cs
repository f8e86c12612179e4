using System.Text;
using System.Text.Json;
using MisSend.Cli;
using MisSend.TestSupport.Corpus;

namespace MisSend.Cli.Tests;

/// <summary>Each bad file gives verdict "error" (exit 2) with a clear message, and the other files are still scanned.</summary>
public sealed class ScanCommandBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("missend-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    public static TheoryData<string, string, string> BadBodies() => BadBatches.All();

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void A_bad_file_is_an_error_and_the_next_files_are_still_scanned(string name, string json, string message)
    {
        var bad = Write(name + ".json", json);
        var pass = Path.Combine(Repository.Samples, "payment-guide.json");
        var halt = Path.Combine(Repository.Samples, "rows-shifted.json");

        var output = new StringWriter();
        var exit = ScanCommand.Run([bad, pass, halt], json: true, output, new StringWriter());

        Assert.Equal(ScanCommand.ExitError, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("error", lines[0].GetProperty("verdict").GetString());
        Assert.Contains(message, lines[0].GetProperty("error").GetString());
        Assert.Empty(lines[0].GetProperty("findings").EnumerateArray());
        Assert.Equal("pass", lines[1].GetProperty("verdict").GetString());
        Assert.Equal("halt", lines[2].GetProperty("verdict").GetString());
    }

    [Fact]
    public void Missing_file_is_an_error_in_text_mode_on_stderr()
    {
        var missing = Path.Combine(_dir, "nope.json");
        var pass = Path.Combine(Repository.Samples, "payment-guide.json");
        var output = new StringWriter();
        var errors = new StringWriter();

        Assert.Equal(ScanCommand.ExitError, ScanCommand.Run([missing, pass], json: false, output, errors));
        Assert.Contains($"{missing}: ERROR file not found", errors.ToString());
        Assert.Contains("PASS", output.ToString());
    }

    [Fact]
    public void Empty_file_is_an_error()
    {
        var output = new StringWriter();
        Assert.Equal(ScanCommand.ExitError, ScanCommand.Run([Write("empty.json", "")], json: true, output, new StringWriter()));
        Assert.Contains("body is empty", output.ToString());
    }

    [Fact]
    public void Truncated_file_names_line_and_column()
    {
        var output = new StringWriter();
        var file = Write("truncated.json", "{\n  \"personalizations\": [\n    {\"to\": [{\"email\": \"a@example.jp\"");
        Assert.Equal(ScanCommand.ExitError, ScanCommand.Run([file], json: true, output, new StringWriter()));
        var error = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("error").GetString();
        Assert.Matches(@"^invalid JSON: .*\(line 3, column \d+\)$", error);
    }

    [Fact]
    public void Fifty_megabyte_file_is_an_error_not_a_pass()
    {
        var path = Path.Combine(_dir, "huge.json");
        using (var f = File.Create(path))
        {
            f.Write(Encoding.UTF8.GetBytes("{\"personalizations\":["));
            f.SetLength(50L * 1024 * 1024);
        }

        var output = new StringWriter();
        Assert.Equal(ScanCommand.ExitError, ScanCommand.Run([path, Path.Combine(Repository.Samples, "incident-replay.json")], json: true, output, new StringWriter()));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("error", lines[0].GetProperty("verdict").GetString());
        Assert.Contains("52,428,800 bytes", lines[0].GetProperty("error").GetString());
        Assert.Equal("halt", lines[1].GetProperty("verdict").GetString());
    }
}
