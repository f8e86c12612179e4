using System.Reflection;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;
using Microsoft.Extensions.Options;
using MisSend.Functions;

namespace MisSend.Infra.Tests;

/// <summary>
/// The worker's Application Insights registration, built into a plain service collection (the Functions host itself
/// cannot run here). Only the logging filter options are resolved: nothing starts a telemetry channel or sends anything.
/// </summary>
public sealed class ApplicationInsightsLoggingTests
{
    // Loopback ingestion endpoint: even if something were sent, it would go nowhere but 127.0.0.1.
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";

    private static readonly string ProviderName = typeof(ApplicationInsightsLoggerProvider).FullName!;

    private static IServiceCollection Services(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        register(services);
        return services;
    }

    private static LoggerFilterOptions Filters(IServiceCollection services)
    {
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<LoggerFilterOptions>>().Value;
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void The_sdk_alone_sends_only_warnings_to_application_insights()
    {
        // Why the app removes the rule: without it, Information logs never reach Application Insights.
        var filters = Filters(Services(s => s.AddApplicationInsightsTelemetryWorkerService()));
        var rule = Assert.Single(filters.Rules, r => r.ProviderName == ProviderName);
        Assert.Equal(LogLevel.Warning, rule.LogLevel);
    }

    [Fact]
    public void Information_logs_reach_application_insights()
    {
        var services = Services(s => s.AddWorkerApplicationInsights(Settings(("APPLICATIONINSIGHTS_CONNECTION_STRING", ConnectionString))));
        Assert.Contains(services, d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ApplicationInsightsLoggerProvider));

        var filters = Filters(services);
        Assert.DoesNotContain(filters.Rules, r => r.ProviderName == ProviderName && r.LogLevel > LogLevel.Information);
        Assert.DoesNotContain(filters.Rules, r => r.ProviderName is null && r.CategoryName is null && r.LogLevel > LogLevel.Information);
        Assert.True(filters.MinLevel <= LogLevel.Information);
    }

    [Fact]
    public void Telemetry_signs_in_with_the_managed_identity_when_its_client_id_is_set()
    {
        static List<Action<TelemetryConfiguration>> TelemetryConfigurations(IServiceCollection services) => services
            .Select(d => d.ImplementationInstance).OfType<ConfigureNamedOptions<TelemetryConfiguration>>().Select(c => c.Action!).ToList();

        var withIdentity = TelemetryConfigurations(Services(s => s.AddWorkerApplicationInsights(Settings(
            ("APPLICATIONINSIGHTS_CONNECTION_STRING", ConnectionString),
            ("AzureWebJobsStorage:clientId", "5a7c1f0e-2b3d-4e6f-8a9b-0c1d2e3f4a5b")))));
        var withoutIdentity = TelemetryConfigurations(Services(s => s.AddWorkerApplicationInsights(Settings(("APPLICATIONINSIGHTS_CONNECTION_STRING", ConnectionString)))));
        Assert.Equal(withoutIdentity.Count + 1, withIdentity.Count);

        // Applied to a bare configuration (no channel, nothing sent), the extra step sets an Entra credential.
        // CredentialEnvelope is internal to the SDK: if it is renamed, this assertion must follow it.
        using var configuration = new TelemetryConfiguration();
        var credential = typeof(TelemetryConfiguration).GetProperty("CredentialEnvelope", BindingFlags.Instance | BindingFlags.NonPublic);
        Assert.NotNull(credential);
        Assert.Null(credential.GetValue(configuration));
        withIdentity[^1](configuration);
        Assert.NotNull(credential.GetValue(configuration));
    }

    [Fact]
    public void Nothing_is_added_without_a_connection_string()
    {
        var services = Services(s => s.AddWorkerApplicationInsights(Settings()));
        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(ApplicationInsightsLoggerProvider));
    }

    [Fact]
    public void Program_uses_this_registration()
    {
        // A source check, not a run: the Functions worker cannot start without the host.
        var program = File.ReadAllText(Path.Combine(Infra.RepoRoot, "functions", "MisSend.Functions", "Program.cs"));
        Assert.Contains("builder.Services.AddWorkerApplicationInsights(builder.Configuration);", program);
        Assert.DoesNotContain("AddApplicationInsightsTelemetryWorkerService", program);
    }
}
