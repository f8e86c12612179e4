using System.Globalization;
using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MisSend.Functions;

namespace MisSend.Cli.Hosting;

/// <summary>One HTTP-triggered function as its attributes declare it (the same facts functions.metadata carries).</summary>
public sealed record HttpFunction(string Name, Type Class, MethodInfo Method, string Route, IReadOnlyList<string> Methods, AuthorizationLevel Level)
{
    /// <summary>The Functions host's default route prefix (host.json sets none).</summary>
    public const string RoutePrefix = "api";

    public string Path => $"/{RoutePrefix}/{Route}";
}

/// <summary>
/// What the Functions host does for the app's HTTP triggers, for machines without it: Kestrel on loopback, each
/// function's route mapped to its method on the class built from the app's DI, and the <see cref="IActionResult"/> it
/// returns executed. Function keys are not checked, as <c>func start</c> does not check them either; the server
/// listens on 127.0.0.1 only.
/// </summary>
public static class LocalFunctionHost
{
    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => (Type: t, Method: m)))
            .Select(x => (x.Type, x.Method, Function: x.Method.GetCustomAttribute<FunctionAttribute>(),
                Trigger: x.Method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger is not null)
            .Select(x => new HttpFunction(x.Function!.Name, x.Type, x.Method, x.Trigger!.Route ?? x.Function.Name,
                (x.Trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToList(), x.Trigger.AuthLevel))
            .OrderBy(f => f.Route, StringComparer.Ordinal)
            .ToList();

    /// <summary>The function app's HTTP functions.</summary>
    public static IReadOnlyList<HttpFunction> AppFunctions => Discover(typeof(OperatorConsole).Assembly);

    /// <summary>A web host on 127.0.0.1:<paramref name="port"/> (0: any free port) over the services <paramref name="addServices"/> registers.</summary>
    public static WebApplication Build(IConfiguration configuration, int port, Action<IServiceCollection> addServices)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Services.AddMvcCore();
        addServices(builder.Services);
        var app = builder.Build();
        app.MapGet("/", () => Results.Redirect("/api/console"));
        foreach (var function in AppFunctions)
        {
            app.MapMethods(function.Path, function.Methods, context => InvokeAsync(function, context)).WithDisplayName(function.Name);
        }

        return app;
    }

    /// <summary>The address Kestrel listens on once started.</summary>
    public static Uri Address(WebApplication app) => new(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));

    private static async Task InvokeAsync(HttpFunction function, HttpContext context)
    {
        var instance = context.RequestServices.GetRequiredService(function.Class);
        var route = context.GetRouteData();
        var arguments = function.Method.GetParameters().Select(p =>
            p.ParameterType == typeof(HttpRequest) ? context.Request
            : p.ParameterType == typeof(CancellationToken) ? context.RequestAborted
            : p.ParameterType == typeof(int) ? int.Parse((string)route.Values[p.Name!]!, CultureInfo.InvariantCulture)
            : (object?)route.Values[p.Name!]?.ToString()).ToArray();
        var result = await (Task<IActionResult>)function.Method.Invoke(instance, arguments)!;
        await result.ExecuteResultAsync(new ActionContext(context, route, new ActionDescriptor()));
    }
}
