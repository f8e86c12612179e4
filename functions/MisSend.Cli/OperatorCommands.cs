using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MisSend.Cli.Hosting;
using MisSend.Local;
using MisSend.Azure.Notices;
using MisSend.Azure.Storage;
using MisSend.Core.Reports;

namespace MisSend.Cli;

/// <summary><c>detector run</c>, <c>detector report</c> and <c>detector incident open</c> against a storage account (Azurite by default).</summary>
public static class OperatorCommands
{
    public const string DefaultStorage = "UseDevelopmentStorage=true";

    public static IDictionary<string, string?> Settings(string? storage, string? outbox) => new Dictionary<string, string?>
    {
        [StorageClients.Setting] = storage ?? Environment.GetEnvironmentVariable(StorageClients.Setting) ?? DefaultStorage,
        ["SendGrid:OutboxDirectory"] = outbox,
    };

    public static async Task<int> ReportAsync(string incidentId, string language, bool json, string? storage, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        await using var services = LocalServices.Build(Settings(storage, outbox: "outbox"), LogLevel.Error);
        var report = await services.GetRequiredService<IncidentService>().ReportAsync(incidentId, ct);
        if (report is null)
        {
            errors.WriteLine($"no incident '{incidentId}'");
            return 2;
        }

        output.WriteLine(json ? IncidentReportRenderer.ToJson(report) : IncidentReportRenderer.ToMarkdown(report, language));
        return 0;
    }

    public static async Task<int> OpenIncidentAsync(string jobId, string reason, string? storage, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        await using var services = LocalServices.Build(Settings(storage, outbox: "outbox"), LogLevel.Error);
        try
        {
            var incident = await services.GetRequiredService<IncidentService>().OpenAsync(jobId, reason, ct);
            var exposures = await services.GetRequiredService<IncidentStore>().ExposuresAsync(incident.PartitionKey, ct);
            output.WriteLine($"Incident {incident.PartitionKey} is open for job {jobId}: {exposures.Count} exposures; the next notice tick notifies everyone they name.");
            return 0;
        }
        catch (KeyNotFoundException e)
        {
            errors.WriteLine(e.Message);
            return 2;
        }
    }

    /// <summary>The function app's two triggers on one machine: the queue polled every 2 s, the notice timer every minute.</summary>
    public static async Task<int> RunAsync(string? storage, string? outbox, TextWriter output, CancellationToken ct)
    {
        await using var services = LocalServices.Build(Settings(storage, outbox), LogLevel.Information);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        var runner = services.GetRequiredService<LocalQueueRunner>();
        var dispatcher = services.GetRequiredService<NoticeDispatcher>();
        output.WriteLine("Polling the outbound queue; notices every minute. Ctrl+C stops.");
        var nextTick = DateTimeOffset.UtcNow;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var handled = await runner.DrainOnceAsync(ct);
                if (DateTimeOffset.UtcNow >= nextTick)
                {
                    var summary = await dispatcher.DispatchAsync(ct);
                    if (summary.Sent + summary.Pending > 0)
                    {
                        output.WriteLine($"notices: {summary.Sent} sent, {summary.Pending} pending, {summary.Unconfirmed} unconfirmed");
                    }

                    nextTick = DateTimeOffset.UtcNow.AddMinutes(1);
                }

                if (handled.Count == 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
