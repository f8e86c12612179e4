using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Azure;
using MisSend.Azure.Configuration;

namespace MisSend.Cli;

/// <summary>The same service registration the function app uses, configured from settings plus the command's overrides.</summary>
public static class LocalServices
{
    public static ServiceProvider Build(IDictionary<string, string?> overrides, LogLevel logLevel = LogLevel.Warning)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel))
            .AddMisSendServices(configuration)
            .AddSingleton<Hosting.LocalQueueRunner>();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        // The Functions host validates options at start-up; do the same so a bad setting fails here, clearly.
        _ = provider.GetRequiredService<IOptions<PipelineOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<SendGridOptions>>().Value;
        return provider;
    }
}
