using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MisSend.Azure.Configuration;

namespace MisSend.Infra.Tests;

/// <summary>
/// The app settings infra/ provisions against what the code reads: the options classes (section "Name",
/// setting Name__Property), the %settings% the triggers bind to, and local.settings.example.json.
/// </summary>
public sealed partial class AppSettingsTests
{
    /// <summary>Settings in local.settings.example.json that only make sense locally, and what stands for them in Azure.</summary>
    private static readonly Dictionary<string, string> LocalOnly = new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage"] = "AzureWebJobsStorage__accountName", // identity-based host storage, no connection string
        ["FUNCTIONS_WORKER_RUNTIME"] = "functionAppConfig.runtime.name", // an app setting Flex Consumption deprecates
    };

    /// <summary>Optional settings without a default that fall back to another setting, which infra/ must provision (none at present).</summary>
    private static readonly Dictionary<string, string> FallsBackTo = new(StringComparer.Ordinal);

    /// <summary>Settings the platform reads, not the app code.</summary>
    [GeneratedRegex("^(AzureWebJobsStorage__(accountName|credential|clientId)|APPLICATIONINSIGHTS_(CONNECTION|AUTHENTICATION)_STRING|OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID)$")]
    private static partial Regex PlatformSetting();

    /// <summary>Every options class of the product's assemblies (those with a <c>SectionName</c> constant), as app settings.</summary>
    private static IEnumerable<(string Setting, object? Default, Type Type)> OptionSettings() =>
        new[] { typeof(PipelineOptions).Assembly }
            .Concat(typeof(PipelineOptions).Assembly.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("MisSend.", StringComparison.Ordinal)).Select(Assembly.Load))
            .Concat(typeof(MisSend.Application.ReliabilityOptions).Assembly.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("MisSend.", StringComparison.Ordinal)).Select(Assembly.Load))
            .Distinct()
            .SelectMany(a => a.GetTypes())
            .Where(t => t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .SelectMany(t =>
            {
                var section = (string)t.GetField("SectionName")!.GetRawConstantValue()!;
                var defaults = Activator.CreateInstance(t);
                return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
                    .Select(p => ($"{section}__{p.Name}", p.GetValue(defaults), p.PropertyType));
            });

    private static Dictionary<string, string> LocalSettings() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Infra.RepoRoot, "functions", "MisSend.Functions", "local.settings.example.json")))!
            ["Values"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    [Fact]
    public void The_options_classes_are_found()
    {
        var settings = OptionSettings().Select(o => o.Setting).ToList();
        Assert.Contains("SendGrid__ApiKey", settings);
        Assert.Contains("Notices__SigningKey", settings);
        Assert.Contains("Pipeline__OutboundQueue", settings);
    }

    [Fact]
    public void Every_setting_of_the_local_example_is_provisioned_or_replaced()
    {
        var provisioned = FunctionAppTests.AppSettings();
        foreach (var (name, value) in LocalSettings())
        {
            if (LocalOnly.TryGetValue(name, out var replacement))
            {
                Assert.False(provisioned.ContainsKey(name), $"{name} is local-only but provisioned");
                if (replacement.StartsWith("functionAppConfig.", StringComparison.Ordinal))
                {
                    Assert.Equal(value, FunctionAppTests.Site.Get("properties." + replacement));
                }
                else
                {
                    Assert.True(provisioned.ContainsKey(replacement), $"{name} is replaced by {replacement}, which is not provisioned");
                }
            }
            else
            {
                Assert.True(provisioned.ContainsKey(name), $"local.settings.example.json sets {name}; infra/ provisions no such app setting");
            }
        }
    }

    [Fact]
    public void Every_option_without_a_default_is_provisioned()
    {
        var provisioned = FunctionAppTests.AppSettings();
        var withoutDefault = OptionSettings().Where(o => o.Default is null).ToList();
        Assert.NotEmpty(withoutDefault);
        Assert.All(withoutDefault, o => Assert.True(
            provisioned.ContainsKey(FallsBackTo.GetValueOrDefault(o.Setting, o.Setting)),
            $"{o.Setting} has no default in the code and infra/ provisions no such app setting (add it, with a parameter, to function-app.bicep and docs/deploy.md)"));
    }

    [Fact]
    public void Every_provisioned_setting_is_read_by_the_code_or_the_platform()
    {
        var options = OptionSettings().Select(o => o.Setting).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var bound = FunctionAppTests.BindingSettings();
        Assert.All(FunctionAppTests.AppSettings().Keys, name => Assert.True(
            PlatformSetting().IsMatch(name) || bound.Contains(name) || options.Contains(name),
            $"app setting {name} is read by nothing (a typo?)"));
    }

}
