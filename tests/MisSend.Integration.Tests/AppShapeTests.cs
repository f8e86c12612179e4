using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MisSend.Application.Notices;
using MisSend.Azure.Configuration;
using MisSend.Cli.Hosting;
using MisSend.Core.Notices;
using MisSend.Functions;

namespace MisSend.Integration.Tests;

/// <summary>What the Functions host would read (functions.metadata, host.json) and what the app refuses to start without.</summary>
public sealed partial class AppShapeTests
{
    /// <summary>Every trigger and the app setting its binding must name: renaming or hard-coding one fails here.</summary>
    public static TheoryData<string, string, string, string> Triggers => new()
    {
        { nameof(InspectBatch), "queueTrigger", "queueName", $"%{PipelineOptions.OutboundQueueSetting}%" },
        { nameof(RecordPoisonedBatch), "queueTrigger", "queueName", $"%{PipelineOptions.OutboundQueueSetting}%{PipelineOptions.PoisonSuffix}" },
        { nameof(DispatchNotices), "timerTrigger", "schedule", $"%{PipelineOptions.NoticeScheduleSetting}%" },
    };

    [Theory]
    [MemberData(nameof(Triggers))]
    [Trait("Category", "Reliability")]
    public void Functions_metadata_binds_each_trigger_to_its_app_setting(string function, string type, string property, string expected)
    {
        var metadata = JsonNode.Parse(File.ReadAllText(FunctionsMetadataPath()))!.AsArray();

        var entry = Assert.Single(metadata, f => f!["name"]!.GetValue<string>() == function)!;
        var trigger = Assert.Single(entry["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!;

        Assert.Equal(type, trigger["type"]!.GetValue<string>());
        Assert.Equal(expected, trigger[property]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Triggers))]
    [Trait("Category", "Reliability")]
    public void Trigger_attributes_name_the_app_setting(string function, string type, string property, string expected)
    {
        var method = typeof(InspectBatch).Assembly.GetTypes().Single(t => t.Name == function).GetMethod("Run")!;
        var parameter = method.GetParameters().First();

        var value = type == "timerTrigger"
            ? parameter.GetCustomAttribute<TimerTriggerAttribute>()!.Schedule
            : parameter.GetCustomAttribute<QueueTriggerAttribute>()!.QueueName;

        Assert.Equal(expected, value);
        Assert.Equal(function, method.GetCustomAttribute<FunctionAttribute>()!.Name);
        Assert.NotEmpty(property);
    }

    [Fact]
    public void Every_setting_a_binding_names_is_in_the_example_settings()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(FunctionsMetadataPath()))!.AsArray();
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Samples.RepositoryRoot, "functions", "MisSend.Functions", "local.settings.example.json")))!
            ["Values"]!.AsObject().Select(kv => kv.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var expressions = metadata.SelectMany(f => f!["bindings"]!.AsArray())
            .SelectMany(b => b!.AsObject().Select(kv => kv.Value))
            .OfType<JsonValue>()
            .Where(v => v.GetValueKind() == System.Text.Json.JsonValueKind.String)
            .SelectMany(v => SettingExpression().Matches(v.GetValue<string>()).Select(m => m.Groups[1].Value))
            .ToList();

        Assert.Contains(PipelineOptions.OutboundQueueSetting, expressions);
        Assert.Contains(PipelineOptions.NoticeScheduleSetting, expressions);
        Assert.All(expressions, name => Assert.Contains(name.Replace(":", "__"), settings));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void Local_runner_takes_maxDequeueCount_from_host_json()
    {
        var repository = HostSettings.Load(Path.Combine(Samples.RepositoryRoot, "host.json"));
        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(Samples.RepositoryRoot, "host.json")))!;
        Assert.Equal(hostJson["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>(), repository.MaxDequeueCount);

        var temp = Path.Combine(Path.GetTempPath(), $"host-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(temp, "{ \"version\": \"2.0\", \"extensions\": { \"queues\": { \"maxDequeueCount\": 2 } } }");
            Assert.Equal(2, HostSettings.Load(temp).MaxDequeueCount);
            File.WriteAllText(temp, "{ \"version\": \"2.0\" }");
            Assert.Equal(HostSettings.DefaultMaxDequeueCount, HostSettings.Load(temp).MaxDequeueCount);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    [Fact]
    public void Missing_SendGrid_api_key_fails_options_validation_naming_the_setting()
    {
        using var services = Services(new() { ["SendGrid:ApiKey"] = null });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SendGridOptions>>().Value);

        Assert.Contains("SendGrid__ApiKey", error.Message);
        Assert.Equal(typeof(SendGridOptions), error.OptionsType);
    }

    public static TheoryData<string, string?, string> BadNoticeSettings => new()
    {
        { "Notices:SigningKey", null, "Notices:SigningKey" },
        { "Notices:SigningKey", "c2hvcnQ=", "Notices:SigningKey" },
        { "NoticeSender:ConfirmationPageUrl", "http://www.reds-seasonticket.example.jp/privacy/confirm", "ConfirmationPageUrl" },
        { "NoticeSender:ConfirmationPageUrl", "not a url", "ConfirmationPageUrl" },
        { "NoticeSender:ConfirmationPageUrl", null, "ConfirmationPageUrl" },
        { "NoticeSender:NotMinePageUrl", "http://www.reds-seasonticket.example.jp/privacy/not-mine", "NotMinePageUrl" },
        { "NoticeSender:NotMinePageUrl", null, "NotMinePageUrl" },
        { "Alerts:OfficerEmail", "privacy@reds-seasonticket.example.jp, dpo@reds-seasonticket.example.jp", "Alerts:OfficerEmail" },
        { "NoticeSender:ContactEmail", "privacy@reds-seasonticket.example.jp, other@example.jp", "NoticeSender:ContactEmail" },
        { "NoticeSender:FromEmail", "privacy@reds-seasonticket.example.jp; other@example.jp", "NoticeSender:FromEmail" },
        { "NoticeSender:Organization", "", "Organization" },
        { "NoticeSender:ContactPhone", null, "ContactPhone" },
        { "NoticeSender:ContactHoursJa", null, "ContactHoursJa" },
    };

    [Theory]
    [MemberData(nameof(BadNoticeSettings))]
    [Trait("Category", "Reliability")]
    public async Task Incomplete_notice_settings_fail_the_host_at_start_up_naming_the_setting(string setting, string? value, string named)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings(new() { [setting] = value }));
        builder.Services.AddFunctionServices(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task Complete_settings_start_the_host()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings([]));
        builder.Services.AddFunctionServices(builder.Configuration);
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
        Assert.Equal("https://www.reds-seasonticket.example.jp/privacy/confirm", host.Services.GetRequiredService<IOptions<NoticeSenderOptions>>().Value.ConfirmationPageUrl);
    }

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> overrides) => AppSettings.Merge(
        new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["OutboundQueueName"] = "outbound-batches",
            ["SendGrid:ApiKey"] = "SG.test",
            ["Notices:SigningKey"] = Convert.ToBase64String(new byte[32]),
        },
        AppSettings.NoticeSender(),
        overrides);

    private static ServiceProvider Services(Dictionary<string, string?> overrides)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(overrides)).Build();
        return new ServiceCollection().AddLogging().AddFunctionServices(configuration).BuildServiceProvider();
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
