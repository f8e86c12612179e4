using Azure.Identity;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;

namespace MisSend.Functions;

public static class ApplicationInsightsServiceCollectionExtensions
{
    /// <summary>
    /// The worker's own Application Insights telemetry, when APPLICATIONINSIGHTS_CONNECTION_STRING is set (in Azure;
    /// locally nothing is added).
    /// </summary>
    public static IServiceCollection AddWorkerApplicationInsights(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            return services;
        }

        services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();

        // The SDK adds a rule that sends only Warning and above to Application Insights; the operators rely on the
        // Information logs ("pass, sent …", notice summaries). As in the Functions isolated worker guide.
        services.Configure<LoggerFilterOptions>(options =>
        {
            var warningOnly = options.Rules.FirstOrDefault(rule => rule.ProviderName == typeof(ApplicationInsightsLoggerProvider).FullName);
            if (warningOnly is not null)
            {
                options.Rules.Remove(warningOnly);
            }
        });

        // Application Insights has local auth off: the worker signs its telemetry in with the app's managed identity.
        if (configuration["AzureWebJobsStorage:clientId"] is { Length: > 0 } clientId)
        {
            services.Configure<TelemetryConfiguration>(c =>
                c.SetAzureTokenCredential(new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))));
        }

        return services;
    }
}
