using System.Text.Json.Nodes;
using Xunit;
using static MisSend.TestSupport.Corpus.Bodies;

namespace MisSend.TestSupport.Corpus;

/// <summary>Bodies that are not inspectable batches, each with the words its error must contain.</summary>
public static class BadBatches
{
    public static string Valid() => Json(Mail(PerRecipient(JapanesePeople.Make(3, seed: 5))));

    public static TheoryData<string, string, string> All()
    {
        var people = JapanesePeople.Make(2, seed: 5);
        var toObject = Mail(PerRecipient(people));
        toObject["personalizations"]![0]!["to"] = Addr(people[0].Email);
        var dtdArray = Mail(PerRecipient(people));
        dtdArray["personalizations"]![1]!["dynamic_template_data"] = new JsonArray("佐藤 美咲", "¥98,000");

        return new TheoryData<string, string, string>
        {
            { "personalizations-is-a-string", """{"personalizations":"佐藤 美咲"}""", "\"personalizations\" must be an array, found a string" },
            { "to-is-an-object", Json(toObject), "personalizations[0].to must be an array, found an object" },
            { "dynamic-template-data-is-an-array", Json(dtdArray), "personalizations[1].dynamic_template_data must be an object, found an array" },
            { "empty-personalizations", """{"personalizations":[]}""", "is empty" },
            { "no-personalizations", """{"from":{"email":"a@example.jp"}}""", "\"personalizations\" is missing" },
            { "headers-is-an-array", """{"headers":["x"],"personalizations":[{"to":[{"email":"a@example.jp"}]}]}""", "mail.headers must be an object" },
            { "relationships-role-unknown", """{"jobId":"j","policy":{"relationships":{"pupil":"cousin"}},"mail":{"personalizations":[{"to":[{"email":"a@example.jp"}]}]}}""", "policy.relationships" },
            { "root-is-an-array", "[1,2,3]", "expected a JSON object, found an array" },
            { "root-is-a-string", "\"mail\"", "expected a JSON object, found a string" },
            { "empty-body", "", "body is empty" },
            { "mail-is-a-string", """{"jobId":"j","mail":"x"}""", "\"mail\" must be an object" },
            { "chunk-out-of-range", """{"jobId":"j","chunk":3,"chunkCount":2,"mail":{"personalizations":[]}}""", "chunk 3 of 2" },
            { "recipient-without-email", """{"personalizations":[{"to":[{"name":"佐藤"}]}]}""", "personalizations[0].to[0].email" },
            { "to-is-empty", """{"personalizations":[{"to":[]}]}""", "at least one recipient" },
        };
    }
}
