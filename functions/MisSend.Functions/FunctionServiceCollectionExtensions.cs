using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Console;
using MisSend.Application.Ports;
using MisSend.Azure;
using MisSend.Azure.Storage;
using MisSend.Functions.Console;

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
        services.AddTransient<NotMine>();
        services.AddOperatorConsole();
        return services;
    }

    /// <summary>The officer's console and who acts on the operator routes.</summary>
    public static IServiceCollection AddOperatorConsole(this IServiceCollection services)
    {
        services.AddSingleton<OperatorIdentity>();
        services.AddSingleton<IRecordIndex, TableRecordIndex>();
        services.AddSingleton<ConsoleQueries>();
        services.AddSingleton<ReleasePreviewer>();
        services.AddTransient<OperatorConsole>();
        return services;
    }
}
