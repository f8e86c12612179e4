using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Azure;

namespace MisSend.Functions;

public static class FunctionServiceCollectionExtensions
{
    /// <summary>The app's whole registration; tests build the function classes from this same call.</summary>
    public static IServiceCollection AddFunctionServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMisSendServices(configuration);
        services.AddTransient<InspectBatch>();
        services.AddTransient<RecordPoisonedBatch>();
        services.AddTransient<DispatchNotices>();
        services.AddTransient<IncidentHttp>();
        services.AddTransient<IncidentScopeHttp>();
        services.AddTransient<ConfirmDeleted>();
        return services;
    }
}
