using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MisSend.Application.Incidents;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Core.Notices;

namespace MisSend.Application;

public static class ApplicationServiceCollectionExtensions
{
    /// <summary>
    /// The pipeline's services. The ports (storage, SendGrid) and the options come from the host's registration:
    /// Azure in the app, in memory in the fault tests.
    /// </summary>
    public static IServiceCollection AddMisSendApplication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Containment>();
        services.AddSingleton<NotMineLinks>();
        services.AddSingleton<ChunkPipeline>();
        services.AddSingleton<BatchInspector>();
        services.AddSingleton<PipelineSweep>();
        services.AddSingleton<IncidentReader>();
        services.AddSingleton<IncidentRecorder>();
        services.AddSingleton<IncidentService>();
        services.AddSingleton<OfficerAlert>();
        services.AddSingleton<NotMineService>();
        services.AddSingleton<NoticeRenderer>();
        services.AddSingleton<NoticeContent>();
        services.AddSingleton<NoticeDispatcher>();
        return services;
    }
}
