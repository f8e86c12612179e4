using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Azure.Configuration;
using MisSend.Azure.Storage;
using MisSend.Cli.Hosting;
using MisSend.Core;
using MisSend.Core.Detection;
using MisSend.Core.Reports;

namespace MisSend.Cli;

/// <summary>
/// <c>detector incident scope INC-… (--everyone | --shifted K [--categories amount,…] | --csv FILE) [--by NAME]</c> and
/// <c>detector incident records INC-… [--unlawful-purpose yes|no|unknown] [--secondary-harm …] [--published-at …] …</c>,
/// and <c>detector incident dismiss INC-… --reason "…" [--by NAME]</c> (recipients' "not mine" reports found unfounded: the
/// job resumes), against a storage account (Azurite by default). Exit 0 done, 2 refused (unknown incident, bad list, not a
/// reported incident, not dismissable).
/// </summary>
public static class IncidentCommands
{
    /// <summary>Adds <c>scope</c>, <c>records</c> and <c>dismiss</c> to the <c>incident</c> command.</summary>
    public static void AddTo(RootCommand root)
    {
        var incident = root.Subcommands.FirstOrDefault(c => c.Name == "incident");
        if (incident is null)
        {
            incident = new Command("incident", "Incident actions");
            root.Subcommands.Add(incident);
        }

        incident.Subcommands.Add(ScopeCommand());
        incident.Subcommands.Add(RecordsCommand());
        incident.Subcommands.Add(DismissCommand());
    }

    public static async Task<int> DeclareScopeAsync(string incidentId, ScopeRequest request, string? by, string? storage, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        await using var local = await LocalStorage.OpenAsync(storage, errors.WriteLine, ct);
        await using var services = LocalServices.Build(OperatorCommands.Settings(local.ConnectionString), LogLevel.Error, outbox: "outbox");
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        var result = await services.GetRequiredService<IncidentService>().DeclareScopeAsync(incidentId, request, Who(by), ct);
        switch (result.Outcome)
        {
            case ScopeOutcome.Declared:
                var (scope, change) = (result.Scope!, result.Change!);
                output.WriteLine($"Scope of {incidentId} declared ({StoredName.Of(change.Mode)}): {People(scope.Subjects.Count, "data subject")} whose data reached "
                    + $"{People(scope.Recipients.Count, "wrong recipient")}, {People(scope.Exposures, "exposure")}; data: {string.Join(", ", scope.Categories.Select(c => c.English()))}.");
                output.WriteLine($"  added {People(change.Added.SubjectKeys.Count, "data subject")} and {People(change.Added.Recipients.Count, "recipient")}"
                    + (change.Mode == Core.Incidents.ScopeChangeMode.Replaced ? $"; removed {People(change.Removed.SubjectKeys.Count, "data subject")} and {People(change.Removed.Recipients.Count, "recipient")} (nobody had been told anything)" : "")
                    + (change.Mode == Core.Incidents.ScopeChangeMode.Extended ? $"; kept {People(change.KeptFromEarlier.SubjectKeys.Count, "data subject")} and {People(change.KeptFromEarlier.Recipients.Count, "recipient")} of earlier declarations (notices had gone out)" : ""));
                if (!change.NotifiedWithChangedCounts.IsEmpty)
                {
                    output.WriteLine($"  {People(change.NotifiedWithChangedCounts.SubjectKeys.Count + change.NotifiedWithChangedCounts.Recipients.Count, "person", "people")} already notified would now be told other numbers: they are not notified again; the report counts the scope in force.");
                }

                output.WriteLine("The next notice tick notifies the people added.");
                return ExitCodes.Pass;
            case ScopeOutcome.NotFound:
            case ScopeOutcome.NotReported:
                errors.WriteLine(result.Message);
                return ExitCodes.InvalidInput;
            default:
                errors.WriteLine(result.Message ?? $"the declaration was not applied ({People(result.Errors.Count, "problem")}):");
                foreach (var e in result.Errors)
                {
                    errors.WriteLine("  " + e.Message("en"));
                }

                return ExitCodes.InvalidInput;
        }
    }

    public static async Task<int> RecordAsync(string incidentId, Application.Incidents.OperatorRecordsChange change, string? by, string? storage, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        await using var local = await LocalStorage.OpenAsync(storage, errors.WriteLine, ct);
        await using var services = LocalServices.Build(OperatorCommands.Settings(local.ConnectionString), LogLevel.Error, outbox: "outbox");
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        var (incident, problem) = await services.GetRequiredService<IncidentService>().UpdateRecordsAsync(incidentId, change, Who(by), ct);
        if (problem is not null || incident is null)
        {
            errors.WriteLine(problem ?? $"no incident '{incidentId}'");
            return ExitCodes.InvalidInput;
        }

        output.WriteLine($"Recorded for {incidentId}: {string.Join(", ", change.Fields())}.");
        return ExitCodes.Pass;
    }

    private static Command ScopeCommand()
    {
        var incidentId = new Argument<string>("incident") { Description = "Incident id, e.g. INC-0123456789AB" };
        var everyone = new Option<bool>("--everyone") { Description = "Every recipient of the job received every personalization's data" };
        var shifted = new Option<int?>("--shifted") { Description = "The recipient of row i received row i+K's data (K may be negative)" };
        var categories = new Option<string[]>("--categories") { Description = "With --shifted: only these data items were shifted (ids: amount, seat, …)", AllowMultipleArgumentsPerToken = true };
        var csv = new Option<FileInfo?>("--csv") { Description = "A CSV of who received whose data: recipient,subject[,categories] (UTF-8 or Shift_JIS)" };
        var by = new Option<string?>("--by") { Description = "Who declares it (default: the operating-system user)" };
        var storage = Storage();
        var command = new Command("scope", "Declare who received whose data in a reported incident; its notices follow on the next tick")
        {
            incidentId, everyone, shifted, categories, csv, by, storage,
        };
        command.Validators.Add(result =>
        {
            var given = (result.GetValue(everyone) ? 1 : 0) + (result.GetValue(shifted) is null ? 0 : 1) + (result.GetValue(csv) is null ? 0 : 1);
            if (given != 1)
            {
                result.AddError("give exactly one of --everyone, --shifted K, --csv FILE");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var (parsed, problem) = ScopeRequest.ParseCategories(parse.GetValue(categories)?.SelectMany(c => c.Split(',')));
            if (problem is not null)
            {
                Console.Error.WriteLine(problem);
                return ExitCodes.InvalidInput;
            }

            var file = parse.GetValue(csv);
            if (file is { Exists: false })
            {
                Console.Error.WriteLine($"no file {file.FullName}");
                return ExitCodes.InvalidInput;
            }

            var request = new ScopeRequest(parse.GetValue(everyone), parse.GetValue(shifted), parsed, file is null ? null : await File.ReadAllBytesAsync(file.FullName, ct));
            return await DeclareScopeAsync(parse.GetValue(incidentId)!, request, parse.GetValue(by), parse.GetValue(storage), Console.Out, Console.Error, ct);
        });
        return command;
    }

    public static async Task<int> DismissAsync(string incidentId, string reason, string? by, string? storage, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        // Dismissal sends the held chunks: through SendGrid when it is configured, as `detector run` would, else to its outbox.
        await using var local = await LocalStorage.OpenAsync(storage, errors.WriteLine, ct);
        var settings = OperatorCommands.Settings(local.ConnectionString);
        var environment = LocalServices.Configuration(new Dictionary<string, string?>());
        RunCommand.LocalNoticeSettings(environment, settings, RunCommand.DefaultPort);
        var outbox = string.IsNullOrEmpty(environment[$"{SendGridOptions.SectionName}:{nameof(SendGridOptions.ApiKey)}"]) ? RunCommand.DefaultOutbox : null;
        if (outbox is not null)
        {
            settings[$"{SendGridOptions.SectionName}:{nameof(SendGridOptions.ApiKey)}"] = "not-used-mails-go-to-the-outbox";
            output.WriteLine($"SendGrid__ApiKey is not set: released chunks are written to {Path.GetFullPath(outbox)}/ instead of being sent.");
        }

        await using var services = LocalServices.Build(settings, LogLevel.Error, outbox);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        var result = await services.GetRequiredService<NotMineService>().DismissAsync(incidentId, Who(by) with { Reason = reason.Trim() }, ct);
        if (result.Outcome is not (DismissOutcome.Dismissed or DismissOutcome.AlreadyDismissed))
        {
            errors.WriteLine(result.Message);
            return ExitCodes.InvalidInput;
        }

        output.WriteLine($"{incidentId}: {result.Message}");
        foreach (var (chunk, decision) in result.Released)
        {
            output.WriteLine($"  chunk {chunk}: {decision.Message}");
        }

        return ExitCodes.Pass;
    }

    private static Command DismissCommand()
    {
        var incidentId = new Argument<string>("incident") { Description = "Incident id, e.g. INC-0123456789AB" };
        var reason = new Option<string>("--reason") { Description = "Why the recipients' reports are unfounded (recorded with who dismissed them)", Required = true };
        var by = new Option<string?>("--by") { Description = "Who dismisses them (default: the operating-system user)" };
        var storage = Storage();
        var command = new Command("dismiss", "Dismiss recipients' \"not mine\" reports of a reported incident: the job resumes and its held chunks are re-inspected and sent")
        {
            incidentId, reason, by, storage,
        };
        command.SetAction((parse, ct) => DismissAsync(parse.GetValue(incidentId)!, parse.GetValue(reason)!, parse.GetValue(by), parse.GetValue(storage), Console.Out, Console.Error, ct));
        return command;
    }

    private static Command RecordsCommand()
    {
        var incidentId = new Argument<string>("incident") { Description = "Incident id, e.g. INC-0123456789AB" };
        var unlawful = AnswerOption("--unlawful-purpose", "Whether it may have been done for an unlawful purpose (規則7条3号)");
        var harm = AnswerOption("--secondary-harm", "Whether secondary harm (misuse) has been observed");
        var harmNote = new Option<string?>("--secondary-harm-note") { Description = "What was observed" };
        var causeNote = new Option<string?>("--cause-note") { Description = "The operator's findings on the cause" };
        var published = new Option<DateTimeOffset?>("--published-at") { Description = "When it was published (ISO 8601, e.g. 2026-11-29T10:00+09:00)" };
        var reported = new Option<DateTimeOffset?>("--reported-at") { Description = "When it was reported to the PPC" };
        var remarks = new Option<string?>("--remarks") { Description = "その他参考となる事項" };
        var by = new Option<string?>("--by") { Description = "Who records it (default: the operating-system user)" };
        var storage = Storage();
        var command = new Command("records", "Record what only a person knows for the incident report (unlawful purpose, secondary harm, publication, PPC report, remarks)")
        {
            incidentId, unlawful, harm, harmNote, causeNote, published, reported, remarks, by, storage,
        };
        command.SetAction((parse, ct) => RecordAsync(parse.GetValue(incidentId)!,
            new Application.Incidents.OperatorRecordsChange(parse.GetValue(unlawful), parse.GetValue(harm), parse.GetValue(harmNote), parse.GetValue(causeNote),
                parse.GetValue(published), parse.GetValue(reported), parse.GetValue(remarks)),
            parse.GetValue(by), parse.GetValue(storage), Console.Out, Console.Error, ct));
        return command;
    }

    private static Option<Answer?> AnswerOption(string name, string description)
    {
        var option = new Option<Answer?>(name)
        {
            Description = description + ": yes, no or unknown",
            CustomParser = r => StoredName.TryParse<Answer>(r.Tokens.Single().Value, out var answer) ? answer : Refuse(r),
        };
        return option;

        static Answer? Refuse(System.CommandLine.Parsing.ArgumentResult r)
        {
            r.AddError($"'{r.Tokens.Single().Value}' is not yes, no or unknown");
            return null;
        }
    }

    private static Option<string?> Storage() =>
        new("--storage") { Description = "Storage connection string (default: $AzureWebJobsStorage, else Azurite's UseDevelopmentStorage=true)" };

    private static OperatorAction Who(string? by) => string.IsNullOrWhiteSpace(by) ? OperatorCommands.Operator(null) : new OperatorAction(by.Trim());

    /// <summary>"1 exposure", "2 exposures"; <paramref name="plural"/> for nouns that do not take an s.</summary>
    private static string People(long n, string noun, string? plural = null) => $"{n:N0} {(n == 1 ? noun : plural ?? noun + "s")}";
}
