using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Azure.Storage;
using MisSend.Cli.Hosting;
using MisSend.Core.Reports;

namespace MisSend.Cli;

/// <summary><c>detector run</c>, <c>detector report</c> and <c>detector incident open</c> against a storage account (Azurite by default).</summary>
public static class OperatorCommands
{
    public const string DefaultStorage = "UseDevelopmentStorage=true";

    public static IDictionary<string, string?> Settings(string? storage) => new Dictionary<string, string?>
    {
        [StorageClients.Setting] = storage ?? Environment.GetEnvironmentVariable(StorageClients.Setting) ?? DefaultStorage,
    };

    /// <summary>Who acts at this terminal: the operating-system user.</summary>
    public static OperatorAction Operator(string? reason) => new($"cli:{Environment.UserName}", reason);

    public static async Task<int> ReportAsync(string incidentId, string language, bool json, string? storage, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        await using var services = LocalServices.Build(Settings(storage), LogLevel.Error, outbox: "outbox");
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
        await using var services = LocalServices.Build(Settings(storage), LogLevel.Error, outbox: "outbox");
        try
        {
            var incidents = services.GetRequiredService<IncidentService>();
            var incident = await incidents.OpenAsync(jobId, reason, Operator(reason), ct);
            output.WriteLine($"Incident {incident.IncidentId} ({Core.StoredName.Of(incident.Kind)}) is open for job {jobId}. "
                + (incident.Kind == Core.Incidents.IncidentKind.Reported ? $"Its scope is under investigation and nobody is notified until it is declared: detector incident scope {incident.IncidentId} …" : "Its scope comes from the exposure ledger."));
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
        await using var services = LocalServices.Build(Settings(storage), LogLevel.Information, outbox, sendsNotices: true);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        var runner = services.GetRequiredService<LocalQueueRunner>();
        var sweep = services.GetRequiredService<PipelineSweep>();
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
                    var flagged = await sweep.RunAsync(ct);
                    var summary = await dispatcher.DispatchAsync(ct);
                    if (summary.Sent + summary.Pending + summary.Unconfirmed + summary.Failed > 0)
                    {
                        output.WriteLine($"notices: {summary.Sent} sent, {summary.Pending} pending, {summary.Unconfirmed} unconfirmed, {summary.Failed} refused by SendGrid");
                    }

                    if (flagged > 0)
                    {
                        output.WriteLine($"pipeline: {flagged} chunks or cancels still being settled (unknown SendGrid answers, wanted cancels)");
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
