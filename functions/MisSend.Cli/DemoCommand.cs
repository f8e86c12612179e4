using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.Application.Inputs;
using MisSend.Azure.Queueing;
using MisSend.Azure.Storage;
using MisSend.Cli.Hosting;
using MisSend.Core;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Reports;
using MisSend.Core.Text;
using MisSend.Functions;
using MisSend.Local;

namespace MisSend.Cli;

/// <summary>
/// <c>detector demo</c>: the whole product on one machine, with one incident of each kind. Azurite from package.json,
/// the samples on the queue, the same pipeline as the function app, an outbox of .eml files instead of SendGrid, and
/// every incident's report in ja/en Markdown and JSON under <c>outbox/reports/</c>.
/// </summary>
public static class DemoCommand
{
    private const string Office = "浦和レッズ シーズンチケット事務局";
    private const string OfficeMail = "privacy@reds-seasonticket.example.jp";
    private const string GuideJob = "reds-2027-payment-guide";
    private const string PhonedIn = "お客様から、他人の請求金額が届いたと電話がありました";
    private const string DeliveryJob = "reds-2027-ticket-delivery";
    private const string Officer = "dpo@reds-seasonticket.example.jp";
    private static readonly OperatorAction DemoOperator = new("demo:事務局 佐藤");

    public static async Task<int> RunAsync(string outbox, TextWriter output, CancellationToken ct)
    {
        var root = Azurite.FindRepositoryRoot(Directory.GetCurrentDirectory());
        output.WriteLine("Mis-send Detector demo");
        await using var azurite = await Azurite.StartAsync(root, output.WriteLine, ct);

        var outboxPath = Path.GetFullPath(outbox);
        var reportsPath = Path.Combine(outboxPath, "reports");
        OutboxMailSender.ClearOwnFiles(outboxPath);
        ClearReports(reportsPath);

        await using var services = LocalServices.Build(logLevel: Microsoft.Extensions.Logging.LogLevel.Error, overrides: Settings(azurite.ConnectionString), outbox: outboxPath, sendsNotices: true);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        var queue = services.GetRequiredService<BatchQueueClient>();
        var runner = services.GetRequiredService<LocalQueueRunner>();
        var incidents = services.GetRequiredService<IncidentService>();

        // Each batch is queued and inspected in turn, so that the chunks of a job go in their order.
        var samples = Path.Combine(root, "samples");
        var batches = new (string Name, string Json)[]
        {
            ("samples/incident-replay.json (the seed incident: one mail with everyone's data)", await File.ReadAllTextAsync(Path.Combine(samples, "incident-replay.json"), ct)),
            ("samples/multi-chunk/chunk-1.json", await File.ReadAllTextAsync(Path.Combine(samples, "multi-chunk", "chunk-1.json"), ct)),
            ("samples/multi-chunk/chunk-2.json", await File.ReadAllTextAsync(Path.Combine(samples, "multi-chunk", "chunk-2.json"), ct)),
            ("samples/multi-chunk/chunk-3.json", await File.ReadAllTextAsync(Path.Combine(samples, "multi-chunk", "chunk-3.json"), ct)),
            ("samples/payment-guide.json with each amount moved up one row (names and addresses right)", AmountsShifted(await File.ReadAllTextAsync(Path.Combine(samples, "payment-guide.json"), ct))),
        };
        var jobs = batches.Select(b => JsonNode.Parse(b.Json)?["jobId"]?.GetValue<string>()).OfType<string>().Append(DeliveryJob).ToHashSet();
        string Job(string jobId) => jobs.Contains(jobId) ? $"job {jobId}" : "(bare body, no job id)";

        output.WriteLine();
        output.WriteLine("Inspecting each batch as the queue trigger does:");
        var results = new List<InspectionResult>();
        foreach (var (name, json) in batches)
        {
            var byBlob = await queue.EnqueueAsync(json, ct);
            output.WriteLine($"  {name}{(byBlob ? " (by claim-check blob)" : "")}");
            for (List<InspectionResult> handled; (handled = await runner.DrainOnceAsync(ct)).Count > 0;)
            {
                foreach (var r in handled)
                {
                    output.WriteLine($"    {Describe(r, Job(r.JobId))}");
                    results.Add(r);
                }
            }
        }

        output.WriteLine();
        output.WriteLine($"Customers of {GuideJob} phone in: 「{PhonedIn}」. The detector passed that job (each mail named its own customer), so an operator opens the incident and declares its scope:");
        var reported = await incidents.OpenAsync(GuideJob, PhonedIn, DemoOperator, ct);
        output.WriteLine($"  detector incident open --job {GuideJob} --reason \"…\"  →  {reported.IncidentId}, {StoredName.Of(reported.Kind)}: its scope is under investigation, and nobody is notified until it is declared.");
        var declared = await incidents.DeclareScopeAsync(reported.IncidentId, new ScopeRequest(Shift: 1, Categories: [DataCategory.Amount]), DemoOperator, ct);
        output.WriteLine($"  detector incident scope {reported.IncidentId} --shifted 1 --categories amount  →  {Describe(declared)}");

        var recipientReported = await RecipientReportAsync(services, root, outboxPath, output, ct);

        output.WriteLine();
        output.WriteLine("Notice timer tick (DispatchNotices, every minute in Azure):");
        var before = Mails(outboxPath);
        var summary = await services.GetRequiredService<NoticeDispatcher>().DispatchAsync(ct);
        output.WriteLine($"  {Count(summary.Sent, "notice")} sent for {Count(summary.Incidents, "open incident")} ({summary.Pending} pending, {summary.Unconfirmed} unconfirmed, {summary.Failed} refused): "
            + $"{Count(Mails(outboxPath) - before, "delete request or apology", "delete requests and apologies")} added to the outbox.");

        output.WriteLine();
        output.WriteLine("Incidents and their reports:");
        Directory.CreateDirectory(reportsPath);
        var ids = results.Select(r => r.IncidentId).OfType<string>().Append(reported.IncidentId).Append(recipientReported).Distinct();
        foreach (var id in ids)
        {
            var report = (await incidents.ReportAsync(id, ct))!;
            output.WriteLine($"  {id}, {Job(report.JobId)}: {Summary(report)}");
            foreach (var (extension, content) in new[] { ("ja.md", IncidentReportRenderer.ToMarkdown(report, "ja")), ("en.md", IncidentReportRenderer.ToMarkdown(report, "en")), ("json", IncidentReportRenderer.ToJson(report)) })
            {
                var file = Path.Combine(reportsPath, $"{id}.{extension}");
                await File.WriteAllTextAsync(file, content, ct);
                output.WriteLine($"    {Path.GetRelativePath(Directory.GetCurrentDirectory(), file)}");
            }
        }

        output.WriteLine();
        output.WriteLine($"{Count(Mails(outboxPath), "mail")} in {Path.GetRelativePath(Directory.GetCurrentDirectory(), outboxPath)}/ (what SendGrid would have sent: the batches that passed, the notices and the officer's alert).");
        return 0;
    }

    private static Dictionary<string, string?> Settings(string storage) => new()
    {
        [StorageClients.Setting] = storage,
        ["NoticeSender:Organization"] = Office,
        ["NoticeSender:OrganizationEn"] = "Urawa Reds Season Ticket Office",
        ["NoticeSender:Style"] = "Office",
        ["NoticeSender:ContactEmail"] = OfficeMail,
        ["NoticeSender:ContactPhone"] = "048-555-0123",
        ["NoticeSender:ContactHoursJa"] = "平日 10:00〜17:00（土日祝日を除く）",
        ["NoticeSender:ContactHoursEn"] = "weekdays 10:00–17:00 JST",
        ["NoticeSender:ConfirmationPageUrl"] = "https://www.reds-seasonticket.example.jp/privacy/confirm",
        ["NoticeSender:NotMinePageUrl"] = "https://www.reds-seasonticket.example.jp/privacy/not-mine",
        ["NoticeSender:FromEmail"] = OfficeMail,
        ["Notices:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Alerts:OfficerEmail"] = Officer,
        ["Reporter:LegalName"] = "浦和レッドダイヤモンズ株式会社",
        ["Reporter:Address"] = "〒330-0000 埼玉県さいたま市浦和区高砂一丁目1番1号",
        ["Reporter:Representative"] = "代表取締役 浦和 一郎",
        ["Reporter:DataProtectionOfficer"] = "個人情報保護管理者 埼玉 花子",
        ["Reporter:Phone"] = "048-555-0123",
        ["Reporter:Email"] = OfficeMail,
    };

    /// <summary>
    /// A leak no inspection can see: the ticket delivery job (samples/address-shifted) names each customer rightly but
    /// gives each the next row's address. Chunk 1 goes out; a customer reports it through the mail's "not for me" link
    /// (the real NotMine function, GET then POST); the job's remaining chunks are held. Returns the incident's id.
    /// </summary>
    private static async Task<string> RecipientReportAsync(IServiceProvider services, string root, string outbox, TextWriter output, CancellationToken ct)
    {
        var queue = services.GetRequiredService<BatchQueueClient>();
        var runner = services.GetRequiredService<LocalQueueRunner>();
        var chunks = Enumerable.Range(1, 3).Select(c => Path.Combine(root, "samples", "address-shifted", $"chunk-{c}.json")).ToList();
        async Task SendAsync(string file)
        {
            await queue.EnqueueAsync(await File.ReadAllTextAsync(file, ct), ct);
            for (List<InspectionResult> handled; (handled = await runner.DrainOnceAsync(ct)).Count > 0;)
            {
                foreach (var r in handled)
                {
                    output.WriteLine($"    {Describe(r, $"job {r.JobId}")}");
                }
            }
        }

        output.WriteLine();
        output.WriteLine($"Job {DeliveryJob} (samples/address-shifted): every customer's name is right, but each delivery address is the next row's. No inspection can see that: nothing in a mail says whose an address is.");
        output.WriteLine("  samples/address-shifted/chunk-1.json");
        await SendAsync(chunks[0]);

        // The customer of row 2 opens their mail and follows the "not for me" link in its footer ({{not_mine_url}}).
        var reporter = JsonNode.Parse(await File.ReadAllTextAsync(chunks[0], ct))!["mail"]!["personalizations"]![1]!["to"]![0]!["email"]!.GetValue<string>();
        var link = await NotMineLinkAsync(outbox, reporter, ct);
        var token = Uri.UnescapeDataString(link[(link.IndexOf("?token=", StringComparison.Ordinal) + "?token=".Length)..]);
        output.WriteLine($"  {Mask.Email(reporter)} finds someone else's address in the mail and opens its \"not for me\" link:");
        var notMine = services.GetRequiredService<NotMine>();
        var page = await notMine.Run(NotMineRequest("GET", token, form: null), ct);
        var incidentId = Keys.IncidentFor(DeliveryJob);
        var incidents = services.GetRequiredService<IIncidentStore>();
        output.WriteLine($"    GET  /api/not-mine → {Status(page)}: a page in Japanese with one button (a mail scanner following the link sees the same); {Count((await incidents.NotMineReportsAsync(incidentId, ct)).Count, "report")} recorded.");
        var thanks = await notMine.Run(NotMineRequest("POST", token, form: "part=address"), ct);
        var report = (await incidents.NotMineReportsAsync(incidentId, ct)).SingleOrDefault()
            ?? throw new InvalidOperationException($"the report was not recorded ({Status(thanks)})");
        var job = (await services.GetRequiredService<IJobStore>().GetJobAsync(DeliveryJob, ct))!;
        output.WriteLine($"    POST /api/not-mine (\"address\" ticked) → {Status(thanks)}: the page thanks them and asks them to delete the mail. Report recorded, and the job paused "
            + $"{(job.HaltedAt - report.ReportedAt)?.TotalSeconds:0} s after it, in the same request (job {StoredName.Of(job.State)} by {(job.HaltedBy is { } by ? StoredName.Of(by) : "nothing")}: its chunks not yet sent are held until the officer decides).");
        output.WriteLine("  The remaining chunks arrive:");
        foreach (var file in chunks.Skip(1))
        {
            output.WriteLine($"  {Path.GetRelativePath(root, file)}");
            await SendAsync(file);
        }

        var incident = (await incidents.GetAsync(incidentId, ct))!;
        var alerted = (await incidents.EventsAsync(incidentId, ct)).Any(e => e.Kind == IncidentEventKind.OfficerAlerted);
        output.WriteLine($"  Incident {incidentId}: kind {StoredName.Of(incident.Kind)}, source {StoredName.Of(incident.Source)}. The reported mail's delivery is recorded as a suspected exposure, "
            + $"{(alerted ? $"the officer ({Mask.Email(Officer)}) was alerted by mail" : "the officer's alert mail is not confirmed yet (the console shows the report)")}, and nobody is notified until the officer declares the scope (detector incident scope {incidentId} …) or dismisses the report (detector incident dismiss {incidentId} --reason \"…\").");
        return incidentId;
    }

    /// <summary>The "not for me" link as the outbox rendered it into the latest mail to <paramref name="recipient"/>.</summary>
    private static async Task<string> NotMineLinkAsync(string outbox, string recipient, CancellationToken ct)
    {
        foreach (var file in OutboxMailSender.OwnFiles(outbox).OrderDescending(StringComparer.Ordinal))
        {
            var message = await MimeKit.MimeMessage.LoadAsync(file, ct);
            if (message.To.Mailboxes.Any(m => m.Address.Equals(recipient, StringComparison.OrdinalIgnoreCase))
                && message.TextBody?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(OutgoingMail.NotMineKey + ": ", StringComparison.Ordinal)) is { } line)
            {
                return line[(OutgoingMail.NotMineKey.Length + 2)..];
            }
        }

        throw new InvalidOperationException($"no mail with a \"not mine\" link to {Mask.Email(recipient)} in the outbox");
    }

    private static Microsoft.AspNetCore.Http.HttpRequest NotMineRequest(string method, string token, string? form)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?token=" + Uri.EscapeDataString(token));
        if (form is not null)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(form);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/x-www-form-urlencoded";
        }

        return context.Request;
    }

    private static int Status(Microsoft.AspNetCore.Mvc.IActionResult result) => result is Microsoft.AspNetCore.Mvc.ContentResult { StatusCode: { } status } ? status : 200;

    /// <summary>The payment guide with each row's amount taken from the next row (the last row gets none): what a merge one row off sends.</summary>
    private static string AmountsShifted(string json)
    {
        var batch = JsonNode.Parse(json)!.AsObject();
        var rows = batch["mail"]!["personalizations"]!.AsArray().Select(p => p!["dynamic_template_data"]!.AsObject()).ToList();
        var amounts = rows.Select(r => r["amount"]?.GetValue<string>()).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            if (i + 1 < rows.Count)
            {
                rows[i]["amount"] = amounts[i + 1];
            }
            else
            {
                rows[i].Remove("amount");
            }
        }

        return batch.ToJsonString();
    }

    private static string Describe(InspectionResult r, string job)
    {
        var where = $"{job}, chunk {r.Chunk}";
        return r.Outcome switch
        {
            InspectionOutcome.Sent => $"{where}: PASS, sent",
            InspectionOutcome.Halted => $"{where}: HALT, nothing of it sent, held in quarantine; incident {r.IncidentId}. Why: {Why(r.Findings ?? [])}",
            InspectionOutcome.Contained => $"{where}: HELD unsent, because {r.Reason}",
            InspectionOutcome.Rejected => $"message rejected: {r.Reason}",
            _ => $"{where}: {r.Outcome}",
        };
    }

    /// <summary>Each rule the findings name, in words, with how many findings it made.</summary>
    private static string Why(IReadOnlyList<Finding> findings) => string.Join("; ", findings.GroupBy(f => f.Rule)
        .Select(g => $"{RuleCatalog.Get(g.Key).TitleEn} ({Count(g.Count(), "finding")})"));

    private static string Describe(ScopeDeclarationResult declared) => declared.Outcome == ScopeOutcome.Declared
        ? $"{Count(declared.Scope!.Subjects.Count, "customer")}' data ({string.Join(", ", declared.Scope.Categories.Select(c => c.English()))}) reached {Count(declared.Scope.Recipients.Count, "other customer")}: {Count(declared.Scope.Exposures, "exposure")}."
        : $"refused: {declared.Message ?? string.Join("; ", declared.Errors.Select(e => e.Message("en")))}";

    /// <summary>What the report of an incident says, in one line.</summary>
    private static string Summary(IncidentReport r) => r.Kind switch
    {
        IncidentKind.NearMiss when r.Unsettled is not null => $"near miss for now: halted, but the send of chunk {string.Join(", ", r.Unsettled.Chunks)} is still unknown.",
        IncidentKind.NearMiss => $"near miss: halted before anything of the job left; {(r.Prevented is { DataSubjects: { } s, WrongRecipients: { } w } ? $"it would have given {Count(s, "person's", "people's")} data to {Count(w, "other person", "other people")}" : "nobody's data went out")}.",
        _ when r.Scope is null && r.RecipientReports is { } reports =>
            $"{StoredName.Of(r.Kind)} by a recipient (source {StoredName.Of(r.Source)}, {Count(reports.Reports, "report")}): the job's remaining chunks held, scope under investigation, nobody notified yet.",
        _ when r.Scope is null => $"{StoredName.Of(r.Kind)}: scope under investigation, nobody notified yet.",
        _ => $"{StoredName.Of(r.Kind)}: {Count(r.Scope.Exposures, "exposure")} ({Count(r.Scope.DataSubjects, "data subject")}, {Count(r.Scope.WrongRecipients, "wrong recipient")}; {string.Join(", ", r.Scope.Categories.Select(c => c.English()))}); "
            + $"{Count(r.Notices.DeleteRequests.Sent, "delete request")} and {Count(r.Notices.Apologies.Sent, "apology", "apologies")} sent.",
    };

    private static string Count(long n, string noun, string? plural = null) => $"{n:N0} {(n == 1 ? noun : plural ?? noun + "s")}";

    private static int Mails(string outbox) => Directory.Exists(outbox) ? OutboxMailSender.OwnFiles(outbox).Count() : 0;

    /// <summary>Removes the reports an earlier demo wrote (INC-….ja.md, .en.md, .json), nothing else.</summary>
    private static void ClearReports(string directory)
    {
        if (Directory.Exists(directory))
        {
            foreach (var old in Directory.EnumerateFiles(directory, "INC-*").Where(f => f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            {
                File.Delete(old);
            }
        }
    }
}
