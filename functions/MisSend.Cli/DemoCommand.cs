using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Azure.Queueing;
using MisSend.Azure.Storage;
using MisSend.Cli.Hosting;
using MisSend.Core.Reports;
using MisSend.Core.Text;
using MisSend.Local;

namespace MisSend.Cli;

/// <summary>
/// <c>detector demo</c>: the whole product on one machine. Azurite from package.json, the samples on the queue,
/// the same pipeline as the function app, and an outbox of .eml files instead of SendGrid.
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync(string outbox, TextWriter output, CancellationToken ct)
    {
        var root = Azurite.FindRepositoryRoot(Directory.GetCurrentDirectory());
        output.WriteLine("Mis-send Detector demo");
        await using var azurite = await Azurite.StartAsync(root, output.WriteLine, ct);

        var outboxPath = Path.GetFullPath(outbox);
        if (Directory.Exists(outboxPath))
        {
            foreach (var old in Directory.EnumerateFiles(outboxPath, "*.eml"))
            {
                File.Delete(old);
            }
        }

        await using var services = LocalServices.Build(logLevel: Microsoft.Extensions.Logging.LogLevel.Error, overrides: new Dictionary<string, string?>
        {
            [StorageClients.Setting] = azurite.ConnectionString,
            ["SendGrid:FromEmail"] = "privacy@reds-seasonticket.example.jp",
            ["SendGrid:FromName"] = "浦和レッズ シーズンチケット事務局",
            ["Notices:Organization"] = "浦和レッズ シーズンチケット事務局",
            ["Notices:ContactEmail"] = "privacy@reds-seasonticket.example.jp",
            ["NoticeSender:Organization"] = "浦和レッズ シーズンチケット事務局",
            ["NoticeSender:Style"] = "Office",
            ["NoticeSender:ContactEmail"] = "privacy@reds-seasonticket.example.jp",
            ["NoticeSender:ContactPhone"] = "048-555-0123",
            ["NoticeSender:ContactHoursJa"] = "平日 10:00〜17:00（土日祝日を除く）",
            ["NoticeSender:ContactHoursEn"] = "weekdays 10:00–17:00 JST",
            ["NoticeSender:ConfirmationPageUrl"] = "https://www.reds-seasonticket.example.jp/privacy/confirm",
            ["Notices:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        }, outbox: outboxPath, sendsNotices: true);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);

        var queue = services.GetRequiredService<BatchQueueClient>();
        var samples = Path.Combine(root, "samples");
        var files = new[] { "payment-guide.json", "incident-replay.json", "rows-shifted.json" }
            .Select(f => Path.Combine(samples, f))
            .Concat(Directory.EnumerateFiles(Path.Combine(samples, "multi-chunk"), "chunk-*.json").Order())
            .ToList();
        foreach (var file in files)
        {
            var byBlob = await queue.EnqueueAsync(await File.ReadAllTextAsync(file, ct), ct);
            output.WriteLine($"  queued {Path.GetRelativePath(root, file)}{(byBlob ? " (claim-check blob)" : "")}");
        }

        output.WriteLine();
        output.WriteLine("Inspecting the outbound queue:");
        var runner = services.GetRequiredService<LocalQueueRunner>();
        var results = new List<InspectionResult>();
        for (List<InspectionResult> batch; (batch = await runner.DrainOnceAsync(ct)).Count > 0;)
        {
            foreach (var r in batch)
            {
                output.WriteLine($"  [{results.Count + 1}/{files.Count}] {Describe(r)}");
                results.Add(r);
            }
        }

        var mails = Directory.Exists(outboxPath) ? Directory.GetFiles(outboxPath, "*.eml").Length : 0;
        output.WriteLine();
        output.WriteLine($"{mails} mails written to {Path.GetRelativePath(Directory.GetCurrentDirectory(), outboxPath)}/ (what SendGrid would have sent).");

        var incidents = services.GetRequiredService<IncidentService>();
        var exposed = new List<string>();
        foreach (var incidentId in results.Where(r => r.IncidentId is not null).Select(r => r.IncidentId!).Distinct())
        {
            var snapshot = (await incidents.SnapshotAsync(incidentId, ct))!;
            var exposures = snapshot.Attribution.Reached;
            output.WriteLine($"Incident {incidentId} (job {snapshot.Incident.JobId}): {snapshot.Incident.Reason}; {exposures.Count} exposures from chunks already sent");
            foreach (var e in exposures)
            {
                output.WriteLine($"  chunk {e.Chunk}: {Mask.Email(e.Recipient)} received the {StoredJson.Categories(e.Categories)} of {(e.SubjectEmail is null ? "an unknown subject" : Mask.Email(e.SubjectEmail))}");
            }

            if (exposures.Count > 0)
            {
                exposed.Add(incidentId);
            }
        }

        output.WriteLine();
        output.WriteLine("Notice timer tick (DispatchNotices, every minute in Azure):");
        var before = mails;
        var summary = await services.GetRequiredService<NoticeDispatcher>().DispatchAsync(ct);
        mails = Directory.GetFiles(outboxPath, "*.eml").Length;
        output.WriteLine($"  {summary.Sent} notices sent for {summary.Incidents} open incidents ({summary.Pending} pending): {mails - before} apology and delete-request mails added to the outbox.");

        foreach (var incidentId in exposed)
        {
            output.WriteLine();
            output.WriteLine(IncidentReportRenderer.ToMarkdown((await incidents.ReportAsync(incidentId, ct))!, "ja"));
        }

        return 0;
    }

    private static string Describe(InspectionResult r) => r.Outcome switch
    {
        InspectionOutcome.Sent => $"job {r.JobId} chunk {r.Chunk}: PASS, sent",
        InspectionOutcome.Halted => $"job {r.JobId} chunk {r.Chunk}: HALT, nothing sent, quarantined, incident {r.IncidentId}",
        InspectionOutcome.Contained => $"job {r.JobId} chunk {r.Chunk}: CONTAINED, quarantined unsent ({r.Reason})",
        InspectionOutcome.Rejected => $"message rejected: {r.Reason}",
        _ => $"job {r.JobId} chunk {r.Chunk}: {r.Outcome}",
    };
}
