using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Azure.Storage;
using MisSend.Cli;
using MisSend.Core.Detection;
using MisSend.Core.Reports;

namespace MisSend.Integration.Tests;

/// <summary>
/// <c>detector incident scope</c> and <c>detector incident records</c>: the option rules, and the commands against a
/// storage account (Azurite, with the app's default resource names, which no other test uses).
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class IncidentCommandsTests(AzuriteFixture azurite)
{
    private static RootCommand Root()
    {
        var root = new RootCommand();
        IncidentCommands.AddTo(root);
        return root;
    }

    [Theory]
    [InlineData("incident scope INC-0123456789AB", "give exactly one of --everyone, --shifted K, --csv FILE")]
    [InlineData("incident scope INC-0123456789AB --everyone --shifted 1", "give exactly one of --everyone, --shifted K, --csv FILE")]
    [InlineData("incident records INC-0123456789AB --unlawful-purpose maybe", "'maybe' is not yes, no or unknown")]
    [InlineData("incident dismiss INC-0123456789AB", "Option '--reason' is required.")]
    public void Options_that_say_nothing_or_two_things_are_refused_before_anything_runs(string args, string error)
    {
        Assert.Contains(error, Root().Parse(args).Errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData("incident scope INC-0123456789AB --everyone")]
    [InlineData("incident scope INC-0123456789AB --shifted -1 --categories amount,seat --by 佐藤")]
    [InlineData("incident records INC-0123456789AB --unlawful-purpose no --published-at 2026-11-29T10:00+09:00")]
    [InlineData("incident dismiss INC-0123456789AB --reason ご家族宛ての案内と確認 --by 佐藤")]
    public void Complete_options_parse(string args) => Assert.Empty(Root().Parse(args).Errors);

    [Fact]
    public async Task Scope_and_records_commands_declare_refuse_with_lines_and_record_with_who()
    {
        var storage = azurite.ConnectionString;
        var outbox = Directory.CreateTempSubdirectory("missend-cli-").FullName;
        string incidentId;
        // The pipeline that sends the job signs each mail's "not mine" link: it needs the notice settings the commands do not.
        var seeding = OperatorCommands.Settings(storage);
        foreach (var (key, value) in Harness.DefaultSettings(azurite, "http://127.0.0.1:9").Where(s => s.Key.StartsWith("Notice", StringComparison.Ordinal)))
        {
            seeding[key] = value;
        }

        await using (var services = LocalServices.Build(seeding, outbox: outbox))
        {
            await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync();
            var jobId = Batches.NewJobId();
            var message = System.Text.Encoding.UTF8.GetBytes(Batches.Envelope(jobId, 1, 1, Batches.Mail(Batches.People(70, 3))));
            var sent = await services.GetRequiredService<ChunkPipeline>().ProcessAsync(Core.Batches.BatchParser.Parse(message), jobId, message, default);
            Assert.Equal(InspectionOutcome.Sent, sent.Outcome);
            incidentId = (await services.GetRequiredService<IncidentService>().OpenAsync(jobId, "phoned in", new OperatorAction("cli:test"), default)).IncidentId;
        }

        var (output, errors) = (new StringWriter(), new StringWriter());
        var csv = Path.Combine(outbox, "list.csv");
        await File.WriteAllTextAsync(csv, $"recipient,subject\n{Batches.Person(70).Email},{Batches.Person(71).Email}\nnobody@elsewhere.example.jp,{Batches.Person(72).Email}\n");

        Assert.Equal(ExitCodes.InvalidInput, await IncidentCommands.DeclareScopeAsync(incidentId, new ScopeRequest(Csv: await File.ReadAllBytesAsync(csv)), "佐藤", storage, output, errors, default));
        Assert.Contains("line 3: n***@elsewhere.example.jp is not a recorded recipient of this job", errors.ToString());
        Assert.Equal(ExitCodes.InvalidInput, await IncidentCommands.DeclareScopeAsync("INC-000000000000", new ScopeRequest(Everyone: true), null, storage, output, errors, default));

        Assert.Equal(ExitCodes.Pass, await IncidentCommands.DeclareScopeAsync(incidentId, new ScopeRequest(Shift: 1, Categories: [DataCategory.Amount]), "佐藤", storage, output, errors, default));
        Assert.Contains($"Scope of {incidentId} declared (first): 2 data subjects whose data reached 2 wrong recipients, 2 exposures; data: amount due.", output.ToString());

        Assert.Equal(ExitCodes.Pass, await IncidentCommands.RecordAsync(incidentId, new OperatorRecordsChange(UnlawfulPurpose: Answer.No), "佐藤", storage, output, errors, default));
        Assert.Contains($"Recorded for {incidentId}: unlawful-purpose.", output.ToString());
        Assert.Equal(ExitCodes.InvalidInput, await IncidentCommands.RecordAsync(incidentId, new OperatorRecordsChange(), null, storage, output, errors, default));

        await using var check = LocalServices.Build(OperatorCommands.Settings(storage), outbox: outbox);
        var incident = (await check.GetRequiredService<Application.Ports.IIncidentStore>().GetAsync(incidentId, default))!;
        Assert.Equal(("佐藤", Answer.No), (Assert.Single(incident.Declarations).By.Name, incident.Records.UnlawfulPurpose));
    }

    [Fact]
    public async Task Dismiss_command_releases_a_job_a_recipients_report_paused_and_refuses_what_it_cannot_dismiss()
    {
        var storage = azurite.ConnectionString;
        var outbox = Directory.CreateTempSubdirectory("missend-cli-").FullName;
        var seeding = OperatorCommands.Settings(storage);
        foreach (var (key, value) in Harness.DefaultSettings(azurite, "http://127.0.0.1:9").Where(s => s.Key.StartsWith("Notice", StringComparison.Ordinal)))
        {
            seeding[key] = value;
        }

        var jobId = Batches.NewJobId();
        string incidentId;
        await using (var services = LocalServices.Build(seeding, outbox: outbox))
        {
            await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync();
            var pipeline = services.GetRequiredService<ChunkPipeline>();
            var first = System.Text.Encoding.UTF8.GetBytes(Batches.Envelope(jobId, 1, 2, Batches.Mail(Batches.People(80, 3))));
            Assert.Equal(InspectionOutcome.Sent, (await pipeline.ProcessAsync(Core.Batches.BatchParser.Parse(first), jobId, first, default)).Outcome);
            var key = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Application.Notices.NoticeOptions>>().Value.SigningKeyBytes();
            var token = Core.Notices.NotMineToken.Create(new(jobId, 1, 2, "ja", DateTimeOffset.UtcNow.AddDays(1)), key);
            Assert.Equal(NotMineOutcome.Recorded, (await services.GetRequiredService<NotMineService>().ReportAsync(token, [], default)).Outcome);
            var second = System.Text.Encoding.UTF8.GetBytes(Batches.Envelope(jobId, 2, 2, Batches.Mail(Batches.People(90, 3))));
            Assert.Equal(InspectionOutcome.Contained, (await pipeline.ProcessAsync(Core.Batches.BatchParser.Parse(second), jobId, second, default)).Outcome);
            incidentId = (await services.GetRequiredService<Application.Ports.IJobStore>().GetJobAsync(jobId, default))!.IncidentId!;
        }

        var (output, errors) = (new StringWriter(), new StringWriter());
        Assert.Equal(ExitCodes.InvalidInput, await IncidentCommands.DismissAsync("INC-000000000000", "誤申告", "佐藤", storage, output, errors, default));
        Assert.Contains("no incident 'INC-000000000000'", errors.ToString());

        Assert.Equal(ExitCodes.Pass, await IncidentCommands.DismissAsync(incidentId, " ご家族宛ての案内と確認できたため ", "佐藤", storage, output, errors, default));
        Assert.Contains($"{incidentId}: dismissed; 1 of 1 held chunks re-inspected and sent", output.ToString());

        await using var check = LocalServices.Build(OperatorCommands.Settings(storage), outbox: outbox);
        var jobs = check.GetRequiredService<Application.Ports.IJobStore>();
        Assert.Equal(JobState.Open, (await jobs.GetJobAsync(jobId, default))!.State);
        Assert.Equal(ChunkState.Sent, (await jobs.GetChunkAsync(jobId, 2, default))!.State);
        Assert.Contains(await check.GetRequiredService<Application.Ports.IIncidentStore>().EventsAsync(incidentId, default),
            e => e.Kind == IncidentEventKind.ReportDismissed && e.Who == "佐藤" && e.Reason == "ご家族宛ての案内と確認できたため");
    }
}
