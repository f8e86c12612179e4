using System.Text;
using System.Text.Json.Nodes;
using MisSend.Core.Batches;
using MisSend.Core.Tests.Corpus;
using static MisSend.Core.Tests.Corpus.Bodies;

namespace MisSend.Core.Tests;

/// <summary>Anything that is not an inspectable batch is a clear <see cref="BatchFormatException"/>, never a pass or a crash.</summary>
public sealed class BadInputTests
{
    public static string Valid() => Json(Mail(PerRecipient(JapanesePeople.Make(3, seed: 5))));

    public static TheoryData<string, string, string> BadBodies()
    {
        var people = JapanesePeople.Make(2, seed: 5);
        var toObject = Mail(PerRecipient(people));
        toObject["personalizations"]![0]!["to"] = Addr(people[0].Email);
        var dtdArray = Mail(PerRecipient(people));
        dtdArray["personalizations"]![1]!["dynamic_template_data"] = new JsonArray("佐藤 美咲", "¥98,000");
        var tooMany = Mail(JapanesePeople.Make(1001, seed: 5).Select(p => P(Addr(p.Email))));
        var tooManyRecipients = Mail(Enumerable.Range(0, 2).Select(k => P(Addr($"a{k}@example.jp"),
            bcc: Enumerable.Range(0, 600).Select(i => Addr($"b{k}.{i}@example.jp")).ToArray())));

        return new TheoryData<string, string, string>
        {
            { "personalizations-is-a-string", """{"personalizations":"佐藤 美咲"}""", "\"personalizations\" must be an array, found a string" },
            { "to-is-an-object", Json(toObject), "personalizations[0].to must be an array, found an object" },
            { "dynamic-template-data-is-an-array", Json(dtdArray), "personalizations[1].dynamic_template_data must be an object, found an array" },
            { "empty-personalizations", """{"personalizations":[]}""", "is empty" },
            { "no-personalizations", """{"from":{"email":"a@example.jp"}}""", "\"personalizations\" is missing" },
            { "over-1000-personalizations", Json(tooMany), "1,001 personalizations" },
            { "over-1000-recipients", Json(tooManyRecipients), "1,202 recipients" },
            { "root-is-an-array", "[1,2,3]", "expected a JSON object, found an array" },
            { "root-is-a-string", "\"mail\"", "expected a JSON object, found a string" },
            { "empty-body", "", "body is empty" },
            { "mail-is-a-string", """{"jobId":"j","mail":"x"}""", "\"mail\" must be an object" },
            { "chunk-out-of-range", """{"jobId":"j","chunk":3,"chunkCount":2,"mail":{"personalizations":[]}}""", "chunk 3 of 2" },
            { "recipient-without-email", """{"personalizations":[{"to":[{"name":"佐藤"}]}]}""", "personalizations[0].to[0].email" },
            { "to-is-empty", """{"personalizations":[{"to":[]}]}""", "at least one recipient" },
        };
    }

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
