using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using MisSend.Application.Notices;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;
using MisSend.Cli.Hosting;
using MisSend.Functions;
using MisSend.Core.Notices;

namespace MisSend.Cli;

/// <summary>The function app's own registration (<see cref="FunctionServiceCollectionExtensions.AddFunctionServices"/>), configured from settings plus the command's overrides.</summary>
public static class LocalServices
{
    /// <summary>Environment variables (as the Functions host reads them), then the command's overrides.</summary>
    public static IConfiguration Configuration(IDictionary<string, string?> overrides) =>
        new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(overrides).Build();

    /// <param name="outbox">Write mails as .eml files here instead of calling SendGrid.</param>
    /// <param name="verbose">Every log, HttpClient's per-request lines included; otherwise the product's own lines only.</param>
    public static IServiceCollection AddLocalServices(this IServiceCollection services, IConfiguration configuration, LogLevel logLevel, string? outbox, bool verbose = false)
    {
        services
            .AddLogging(b => b
                .AddConsole(o => o.FormatterName = OneLineConsoleFormatter.FormatterName)
                .AddConsoleFormatter<OneLineConsoleFormatter, ConsoleFormatterOptions>(o => o.IncludeScopes = verbose)
                .SetMinimumLevel(logLevel)
                .AddFilter("System.Net.Http.HttpClient", verbose ? LogLevel.Information : LogLevel.Warning)
                .AddFilter("Microsoft", verbose ? LogLevel.Information : LogLevel.Warning)
                .AddFilter("Microsoft.Extensions.Hosting", verbose ? LogLevel.Information : LogLevel.None))
            .AddSingleton(configuration)
            .AddFunctionServices(configuration)
            .AddSingleton(_ => HostSettings.Find())
            .AddSingleton<LocalQueueRunner>();
        if (outbox is not null)
        {
            var directory = Path.GetFullPath(outbox);
            services.Replace(ServiceDescriptor.Singleton<IMailSender>(sp => new OutboxMailSender(directory, sp.GetRequiredService<TimeProvider>())));
        }

        return services;
    }

    /// <param name="outbox">Write mails as .eml files here instead of calling SendGrid.</param>
    /// <param name="sendsNotices">The command runs the notice timer: its settings (signing key, link base) must be complete before anything runs.</param>
    public static ServiceProvider Build(IDictionary<string, string?> overrides, LogLevel logLevel = LogLevel.Warning, string? outbox = null, bool sendsNotices = false)
    {
        var provider = new ServiceCollection()
            .AddLocalServices(Configuration(overrides), logLevel, outbox)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Validate(provider, sendsMail: outbox is null, sendsNotices);
        return provider;
    }

    /// <summary>The Functions host validates options at start-up; do the same so a bad setting fails here, clearly.</summary>
    public static void Validate(IServiceProvider provider, bool sendsMail, bool sendsNotices)
    {
        _ = provider.GetRequiredService<IOptions<PipelineOptions>>().Value;
        if (sendsMail)
        {
            _ = provider.GetRequiredService<IOptions<SendGridOptions>>().Value;
        }

        if (sendsNotices)
        {
            _ = provider.GetRequiredService<IOptions<NoticeSenderOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<NoticeOptions>>().Value;
        }
    }
}
