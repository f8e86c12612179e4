using System.Text.Json.Nodes;

namespace MisSend.Cli.Hosting;

/// <summary>What the local runner takes from host.json, the file the Functions host itself reads.</summary>
/// <param name="MaxDequeueCount">extensions.queues.maxDequeueCount: attempts before the host moves a message to the poison queue.</param>
public sealed record HostSettings(int MaxDequeueCount)
{
    /// <summary>The Functions host's default when host.json does not set it.</summary>
    public const int DefaultMaxDequeueCount = 5;

    public static HostSettings Load(string hostJsonPath) =>
        new(JsonNode.Parse(File.ReadAllText(hostJsonPath))?["extensions"]?["queues"]?["maxDequeueCount"]?.GetValue<int>() ?? DefaultMaxDequeueCount);

    /// <summary>host.json beside the tool, else the repository's (the one deployed with the function app), else the host's defaults.</summary>
    public static HostSettings Find()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "host.json");
        if (File.Exists(beside))
        {
            return Load(beside);
        }

        try
        {
            return Load(Path.Combine(MisSend.Local.Azurite.FindRepositoryRoot(Directory.GetCurrentDirectory()), "host.json"));
        }
        catch (DirectoryNotFoundException)
        {
            return new HostSettings(DefaultMaxDequeueCount);
        }
    }
}
