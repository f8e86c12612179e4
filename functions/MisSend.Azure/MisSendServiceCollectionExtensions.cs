using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MisSend.Application;
using MisSend.Application.Inputs;
using MisSend.Application.Notices;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;
using MisSend.Azure.Queueing;
using MisSend.Azure.Sending;
using MisSend.Azure.Storage;
using MisSend.Core.Notices;
using MisSend.Core.Reports;

namespace MisSend.Azure;

public static class MisSendServiceCollectionExtensions
{
    /// <summary>
    /// Everything the function app and the local tools share: options (validated at start-up), the Azure adapters of
    /// the application's ports, and the application's services.
    /// </summary>
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
        services.AddOptions<InspectionOptions>().Bind(configuration.GetSection(InspectionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReliabilityOptions>().Bind(configuration.GetSection(ReliabilityOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        // One place for who the notices speak for, whom they come from and how people reach them.
        services.AddOptions<NoticeSenderOptions>()
            .Bind(configuration.GetSection(NoticeSenderOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => ContactAddress.IsValid(o.ContactEmail), "NoticeSender:ContactEmail must be a single e-mail address.")
            .Validate(o => string.IsNullOrWhiteSpace(o.FromEmail) || ContactAddress.IsValid(o.FromEmail), "NoticeSender:FromEmail must be a single e-mail address.")
            .ValidateOnStart();

        // Notices can be sent wherever this app runs: a missing signing key fails start-up, not the first delete request.
        services.AddOptions<NoticeOptions>()
            .Bind(configuration.GetSection(NoticeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NoticeOptions>, NoticeOptionsProblems>();
        services.AddOptions<ReporterDetails>().Bind(configuration.GetSection(ReporterDetails.SectionName));
        services.AddOptions<AlertOptions>()
            .Bind(configuration.GetSection(AlertOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.OfficerEmail) || ContactAddress.IsValid(o.OfficerEmail), "Alerts:OfficerEmail must be a single e-mail address.")
            .ValidateOnStart();

        services.AddSingleton(_ => new StorageClients(configuration));
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton<IJobStore, TableJobStore>();
        services.AddSingleton<IExposureLedger, TableExposureLedger>();
        services.AddSingleton<IIncidentStore, TableIncidentStore>();
        services.AddSingleton<INoticeStore, TableNoticeStore>();
        services.AddSingleton<IBodyStore, BlobBodyStore>();
        services.AddSingleton<BlobClaimCheckStore>();
        services.AddSingleton<IClaimCheckStore>(sp => sp.GetRequiredService<BlobClaimCheckStore>());
        services.AddSingleton<BatchQueueClient>();

        services.AddHttpClient(SendGridOptions.HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<SendGridOptions>>().Value.RequestTimeout);
        services.AddSingleton<IMailSender, SendGridMailSender>();

        return services.AddMisSendApplication();
    }

    /// <summary>Names each notice setting that is missing or wrong, so start-up fails with a message that says what to set.</summary>
    private sealed class NoticeOptionsProblems : IValidateOptions<NoticeOptions>
    {
        public ValidateOptionsResult Validate(string? name, NoticeOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
