using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MisSend.Azure.Configuration;
using MisSend.Functions;

namespace MisSend.Integration.Tests;

/// <summary>What the Functions host would read (functions.metadata) and what the app refuses to start without.</summary>
public sealed partial class AppShapeTests
{
    [Fact]
    public void Functions_metadata_binds_the_triggers_to_settings_the_example_settings_define()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(FunctionsMetadataPath()))!.AsArray();
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Samples.RepositoryRoot, "functions", "MisSend.Functions", "local.settings.example.json")))!
            ["Values"]!.AsObject().Select(kv => kv.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

        JsonObject Trigger(string function) =>
            Assert.Single(
                metadata.Single(f => f!["name"]!.GetValue<string>() == function)!["bindings"]!.AsArray(),
                b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!.AsObject();

        var inspect = Trigger("InspectBatch");
        Assert.Equal("queueTrigger", inspect["type"]!.GetValue<string>());
        Assert.Equal("%OutboundQueueName%", inspect["queueName"]!.GetValue<string>());

        if (metadata.Any(f => f!["name"]!.GetValue<string>() == "DispatchNotices"))
        {
            var dispatch = Trigger("DispatchNotices");
            Assert.Equal("timerTrigger", dispatch["type"]!.GetValue<string>());
            Assert.Equal("%NoticeSchedule%", dispatch["schedule"]!.GetValue<string>());
        }

        var expressions = metadata.SelectMany(f => f!["bindings"]!.AsArray())
            .SelectMany(b => b!.AsObject().Select(kv => kv.Value))
            .OfType<JsonValue>()
            .Where(v => v.GetValueKind() == System.Text.Json.JsonValueKind.String)
            .SelectMany(v => SettingExpression().Matches(v.GetValue<string>()).Select(m => m.Groups[1].Value))
            .ToList();
        Assert.Contains("OutboundQueueName", expressions);
        Assert.All(expressions, name => Assert.Contains(name.Replace(":", "__"), settings));
    }

    [Fact]
    public void Missing_SendGrid_api_key_fails_options_validation_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["OutboundQueueName"] = "outbound-batches",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddFunctionServices(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SendGridOptions>>().Value);

        Assert.Contains("SendGrid__ApiKey", error.Message);
        Assert.Equal(typeof(SendGridOptions), error.OptionsType);
    }

    [Fact]
    public void SendGrid_outbox_directory_stands_in_for_the_api_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["SendGrid:OutboxDirectory"] = Path.GetTempPath(),
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddFunctionServices(configuration).BuildServiceProvider();

        Assert.Null(services.GetRequiredService<IOptions<SendGridOptions>>().Value.ApiKey);
    }

    /// <summary>functions.metadata of the Functions build matching this test build's configuration (Debug/Release).</summary>
    private static string FunctionsMetadataPath()
    {
        var bin = Path.Combine(Samples.RepositoryRoot, "functions", "MisSend.Functions", "bin");
        var segments = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var binIndex = Array.LastIndexOf(segments, "bin");
        var configuration = binIndex >= 0 && binIndex + 1 < segments.Length ? segments[binIndex + 1] : "Debug";
        var preferred = Path.Combine(bin, configuration, "net10.0", "functions.metadata");
        if (File.Exists(preferred))
        {
            return preferred;
        }

        return new[] { "Debug", "Release" }.Select(c => Path.Combine(bin, c, "net10.0", "functions.metadata")).Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new FileNotFoundException($"functions.metadata not found under {bin}: build functions/MisSend.Functions first.");
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingExpression();
}
