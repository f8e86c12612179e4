using System.Text;
using System.Text.Json.Nodes;
using MisSend.Core.Batches;
using MisSend.TestSupport.Corpus;
using static MisSend.TestSupport.Corpus.Bodies;

namespace MisSend.Core.Tests;

/// <summary>Anything that is not an inspectable batch is a clear <see cref="BatchFormatException"/>, never a pass or a crash.</summary>
public sealed class BadInputTests
{
    public static string Valid() => BadBatches.Valid();

    public static TheoryData<string, string, string> BadBodies() => BadBatches.All();

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void Bad_bodies_are_format_errors(string name, string json, string message)
    {
        var e = Assert.Throws<BatchFormatException>(() => BatchParser.Parse(json));
        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), $"{name}: '{e.Message}' does not say '{message}'");
    }

    [Fact]
    public void Truncated_json_names_line_and_column()
    {
        var valid = Valid();
        var truncated = valid[..(valid.Length / 2)].Replace(",\"", ",\n\"");
        var e = Assert.Throws<BatchFormatException>(() => BatchParser.Parse(truncated));
        Assert.StartsWith("invalid JSON", e.Message);
        Assert.NotNull(e.Line);
        Assert.NotNull(e.Column);
        Assert.True(e.Line > 1);
        Assert.Contains($"(line {e.Line}, column {e.Column})", e.ToString());
    }

    [Fact]
    public void A_syntax_error_on_line_three_is_reported_on_line_three()
    {
        var e = Assert.Throws<BatchFormatException>(() => BatchParser.Parse("{\n  \"personalizations\": [\n    {\"to\": [}\n  ]\n}"));
        Assert.Equal(3, e.Line);
        Assert.Equal(13, e.Column);
    }

    [Fact]
    public void Fifty_megabyte_body_is_refused_before_parsing()
    {
        var big = new byte[50 * 1024 * 1024];
        Encoding.UTF8.GetBytes("{\"personalizations\":[").CopyTo(big, 0);
        big.AsSpan(21).Fill((byte)' ');
        var e = Assert.Throws<BatchFormatException>(() => BatchParser.Parse(big));
        Assert.Contains("52,428,800 bytes", e.Message);
        Assert.Contains("limit", e.Message);
    }

    [Fact]
    public void Exception_messages_never_quote_personal_data()
    {
        var data = BadBodies();
        foreach (var row in data)
        {
            var json = (string)row[1];
            var e = Assert.Throws<BatchFormatException>(() => BatchParser.Parse(json));
            Assert.DoesNotContain("佐藤", e.Message);
            Assert.DoesNotContain("¥98,000", e.Message);
            Assert.DoesNotContain("@example", e.Message);
        }
    }
}
