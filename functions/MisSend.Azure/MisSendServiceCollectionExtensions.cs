using MisSend.Azure.Configuration;
using MisSend.Azure.Notices;
using MisSend.Core.Notices;
using MisSend.Core.Reports;
using MisSend.Azure.Pipeline;
using MisSend.Azure.Queueing;
using MisSend.Azure.Sending;
using MisSend.Azure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MisSend.Azure;

public static class MisSendServiceCollectionExtensions
{
    /// <summary>Everything the function app and the local runner share: options, storage, SendGrid, the pipeline.</summary>
    public static IServiceCollection AddMisSendServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>()
            .Bind(configuration.GetSection(PipelineOptions.SectionName))
            .PostConfigure(o =>
            {
                o.OutboundQueue = configuration[PipelineOptions.OutboundQueueSetting] ?? o.OutboundQueue;
                o.NoticeSchedule = configuration[PipelineOptions.NoticeScheduleSetting] ?? o.NoticeSchedule;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<SendGridOptions>()
            .Bind(configuration.GetSection(SendGridOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrEmpty(o.ApiKey) || o.OutboxDirectory is not null,
                "SendGrid:ApiKey is not set. Set SendGrid__ApiKey (a Key Vault reference in Azure) or SendGrid__OutboxDirectory for a local outbox.")
            .ValidateOnStart();

        services.AddOptions<NoticeOptions>()
            .Bind(configuration.GetSection(NoticeOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.SigningKey is null || IsKey(o.SigningKey), "Notices:SigningKey must be base64 of at least 32 random bytes.")
            .ValidateOnStart();

        services.AddOptions<NoticeSenderOptions>()
            .Bind(configuration.GetSection(NoticeSenderOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ReporterDetails>().Bind(configuration.GetSection(ReporterDetails.SectionName));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PipelineFaults>();
        services.AddSingleton(_ => new StorageClients(configuration));
        services.AddSingleton<BlobStore>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<LedgerStore>();
        services.AddSingleton<IncidentStore>();
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton<BatchQueueClient>();
        services.AddSingleton<InspectBatchHandler>();
        services.AddSingleton<NoticeRenderer>();
        services.AddSingleton<NoticeStore>();
        services.AddSingleton<NoticeDispatcher>();
        services.AddSingleton<IncidentService>();

        services.AddHttpClient<SendGridMailSender>(http => http.Timeout = TimeSpan.FromSeconds(20));
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<IOptions<SendGridOptions>>().Value.OutboxDirectory is not null
            ? ActivatorUtilities.CreateInstance<OutboxMailSender>(sp)
            : sp.GetRequiredService<SendGridMailSender>());
        return services;
    }

    private static bool IsKey(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var length) && length >= 32;
    }
}
