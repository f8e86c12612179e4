using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Notices;
using MisSend.Application.Ports;
using MisSend.Azure;
using MisSend.Azure.Configuration;
using MisSend.Cli.Hosting;
using MisSend.Core.Notices;

namespace MisSend.Cli;

/// <summary>The same service registration the function app uses, configured from settings plus the command's overrides.</summary>
public static class LocalServices
{
    /// <param name="outbox">Write mails as .eml files here instead of calling SendGrid.</param>
    /// <param name="sendsNotices">The command runs the notice timer: its settings (signing key, link base) must be complete before anything runs.</param>
    public static ServiceProvider Build(IDictionary<string, string?> overrides, LogLevel logLevel = LogLevel.Warning, string? outbox = null, bool sendsNotices = false)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel))
            .AddMisSendServices(configuration)
            .AddSingleton(_ => HostSettings.Find())
            .AddSingleton<LocalQueueRunner>();
        if (outbox is not null)
        {
            var directory = Path.GetFullPath(outbox);
            services.Replace(ServiceDescriptor.Singleton<IMailSender>(sp => new OutboxMailSender(directory, sp.GetRequiredService<TimeProvider>())));
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        // The Functions host validates options at start-up; do the same so a bad setting fails here, clearly.
        _ = provider.GetRequiredService<IOptions<PipelineOptions>>().Value;
        if (outbox is null)
        {
            _ = provider.GetRequiredService<IOptions<SendGridOptions>>().Value;
        }

        if (sendsNotices)
        {
            _ = provider.GetRequiredService<IOptions<NoticeSenderOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<NoticeOptions>>().Value;
        }

        return provider;
    }
}
