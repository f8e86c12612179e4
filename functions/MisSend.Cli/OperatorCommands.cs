using MisSend.Core;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Model;
using MisSend.Application.Incidents;
using MisSend.Azure.Storage;
using MisSend.Cli.Hosting;
using MisSend.Core.Reports;

namespace MisSend.Cli;

/// <summary><c>detector report</c> and <c>detector incident open</c> against a storage account (Azurite by default).</summary>
public static class OperatorCommands
{
    public static IDictionary<string, string?> Settings(string connectionString) => new Dictionary<string, string?>
    {
        [StorageClients.Setting] = connectionString,
    };

    /// <summary>Who acts at this terminal: the operating-system user, as the console names a local operator.</summary>
    public static OperatorAction Operator(string? reason) => new($"local:{Environment.UserName}", reason);

    public static async Task<int> ReportAsync(string incidentId, string language, bool json, string? storage, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        await using var local = await LocalStorage.OpenAsync(storage, errors.WriteLine, ct);
        await using var services = LocalServices.Build(Settings(local.ConnectionString), outbox: "outbox");
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        var report = await services.GetRequiredService<IncidentService>().ReportAsync(incidentId, ct);
        if (report is null)
        {
            errors.WriteLine($"no incident '{incidentId}' in this storage (the console at http://127.0.0.1:7071/ lists them while 'detector run' runs)");
            return ExitCodes.InvalidInput;
        }

        output.WriteLine(json ? IncidentReportRenderer.ToJson(report) : IncidentReportRenderer.ToMarkdown(report, language));
        return ExitCodes.Pass;
    }

    public static async Task<int> OpenIncidentAsync(string jobId, string reason, string? storage, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        await using var local = await LocalStorage.OpenAsync(storage, errors.WriteLine, ct);
        await using var services = LocalServices.Build(Settings(local.ConnectionString), outbox: "outbox");
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        try
        {
            var incidents = services.GetRequiredService<IncidentService>();
            var incident = await incidents.OpenAsync(jobId, reason, Operator(reason), ct);
            output.WriteLine($"Incident {incident.IncidentId} ({Core.StoredName.Of(incident.Kind)}) is open for job {jobId}. "
                + (incident.Kind == Core.Incidents.IncidentKind.Reported ? $"Its scope is under investigation and nobody is notified until it is declared: detector incident scope {incident.IncidentId} …" : "Its scope comes from the exposure ledger."));
            return ExitCodes.Pass;
        }
        catch (KeyNotFoundException e)
        {
            errors.WriteLine(e.Message.Trim('"'));
            return ExitCodes.InvalidInput;
        }
    }
}
