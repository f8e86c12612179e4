using System.Text.Json.Nodes;
using MisSend.TestSupport;

namespace MisSend.Integration.Tests;

internal static class Samples
{
    public static string RepositoryRoot { get; } = Repository.Root;

    public static string Path(string name) => System.IO.Path.Combine(RepositoryRoot, "samples", name);

    /// <summary>Every e-mail address anywhere in a JSON document.</summary>
    public static IEnumerable<string> Addresses(string json)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, v) in o)
                    {
                        Walk(v);
                    }

                    break;
                case JsonArray a:
                    foreach (var v in a)
                    {
                        Walk(v);
                    }

                    break;
                case JsonValue v when v.TryGetValue<string>(out var s) && s.Contains('@'):
                    found.Add(s);
                    break;
            }
        }

        Walk(JsonNode.Parse(json));
        return found;
    }
}
