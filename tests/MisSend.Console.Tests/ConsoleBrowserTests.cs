using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Azure.Queueing;
using MisSend.Cli;
using MisSend.Cli.Hosting;

namespace MisSend.Console.Tests;

/// <summary>The officer's console in chromium, against <c>detector run</c> hosting the app over Azurite.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleBrowserTests(ConsoleHost host)
{
    private static readonly string[] MultiChunk = [.. Enumerable.Range(1, 3).Select(i => Repository.Sample($"multi-chunk/chunk-{i}.json"))];

    private static string NewJob(string what) => $"console-{what}-{Guid.NewGuid():N}"[..30];

    private async Task<string> EnqueueLeakAsync(string jobId)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, await EnqueueCommand.RunAsync(MultiChunk, jobId, null, host.ConnectionString, output, errors, default));
        await ConsoleHost.WaitUntilAsync(async () => (await host.Jobs.GetChunkAsync(jobId, 3, default))?.State == ChunkState.Quarantined, "the job to halt");
        return (await host.Jobs.GetJobAsync(jobId, default))!.IncidentId!;
    }

    [Fact]
    public async Task A_leak_is_listed_its_page_shows_notice_progress_with_masked_addresses_and_the_report_downloads()
    {
        var jobId = NewJob("leak");
        var incidentId = await EnqueueLeakAsync(jobId);
        var notices = host.Services.GetRequiredService<INoticeStore>();
        await ConsoleHost.WaitUntilAsync(async () => (await notices.ListAsync(incidentId, default)) is { Count: 2 } rows && rows.All(n => n.State == NoticeState.Sent), "both notices to be sent");

        var page = await host.NewPageAsync();
        await page.GotoAsync("/");
        Assert.EndsWith("/api/console", page.Url);
        var row = page.Locator("tr", new() { HasText = incidentId });
        await Assertions.Expect(row).ToContainTextAsync(jobId);
        await Assertions.Expect(row).ToContainTextAsync("通知済み (notified)");
        await ConsoleHost.ScreenshotAsync(page, "incidents-ja");

        await row.GetByRole(AriaRole.Link, new() { Name = incidentId }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"インシデント {incidentId}");
        var progress = page.Locator("table.notices");
        await Assertions.Expect(progress.Locator("tr", new() { HasText = "本人へのお詫び" }).Locator("td").Nth(2)).ToHaveTextAsync("1");
        await Assertions.Expect(progress.Locator("tr", new() { HasText = "誤受信者への削除依頼" }).Locator("td").Nth(2)).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByText("未開封削除の確認: 誤受信者 1 人中 0 人。")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("td", new() { HasText = "s***@example.ne.jp" }).First).ToBeVisibleAsync();
        await ConsoleHost.ScreenshotAsync(page, "incident-ja");

        var html = await page.ContentAsync();
        foreach (var address in PersonalAddresses(MultiChunk))
        {
            Assert.DoesNotContain(address, html, StringComparison.OrdinalIgnoreCase);
        }

        var markdown = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Markdown（日本語）" }).ClickAsync());
        Assert.Equal($"{incidentId}-ja.md", markdown.SuggestedFilename);
        Assert.StartsWith($"# 個人データ漏えい等事案 報告書 {incidentId}", await File.ReadAllTextAsync((await markdown.PathAsync())!));
        var json = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "JSON" }).ClickAsync());
        Assert.Equal(incidentId, JsonNode.Parse(await File.ReadAllTextAsync((await json.PathAsync())!))!["report"]!["incidentId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_quarantined_chunk_is_re_inspected_before_release_and_sent_only_once_it_passes_and_the_officer_confirms()
    {
        // Each guide is cc'd to the ticket office's staff mailbox, which the job's policy did not declare: it halts.
        var jobId = NewJob("release");
        var mail = Batches.Mail(Batches.People(200, 4));
        foreach (var p in mail["personalizations"]!.AsArray())
        {
            p!["cc"] = new JsonArray(new JsonObject { ["email"] = "office@staff.reds-seasonticket.example.jp" });
        }

        await host.Services.GetRequiredService<BatchQueueClient>().EnqueueAsync(Batches.Envelope(jobId, 1, 1, mail));
        await ConsoleHost.WaitUntilAsync(async () => (await host.Jobs.GetChunkAsync(jobId, 1, default))?.State == ChunkState.Quarantined, "the chunk to halt");
        var mailsBefore = OutboxMailSender.OwnFiles(host.Outbox).Count();

        var page = await host.NewPageAsync();
        await page.GotoAsync("/api/console/quarantine");
        var card = page.Locator($"section[id='{jobId}-1']");
        await Assertions.Expect(card).ToContainTextAsync("宛先の相互表示");
        await ConsoleHost.ScreenshotAsync(page, "quarantine-ja");

        // Re-inspected as it is: it still halts, and there is nothing to confirm.
        await card.GetByRole(AriaRole.Button, new() { Name = "解除のために再検査する" }).ClickAsync();
        await Assertions.Expect(page.Locator(".halt")).ToContainTextAsync("まだ停止対象です");
        await Assertions.Expect(page.Locator("form.release")).ToHaveCountAsync(0);
        await ConsoleHost.ScreenshotAsync(page, "release-preview-halts-ja");

        // With the staff domain declared internal it passes; still nothing is sent until the officer confirms.
        await page.Locator("form.preview input[name=internalDomains]").FillAsync("staff.reds-seasonticket.example.jp");
        await page.GetByRole(AriaRole.Button, new() { Name = "もう一度再検査する" }).ClickAsync();
        await Assertions.Expect(page.Locator(".pass")).ToContainTextAsync("送信可能です");
        await ConsoleHost.ScreenshotAsync(page, "release-preview-passes-ja");
        Assert.Equal(mailsBefore, OutboxMailSender.OwnFiles(host.Outbox).Count());
        Assert.Equal(ChunkState.Quarantined, (await host.Jobs.GetChunkAsync(jobId, 1, default))!.State);

        await page.Locator("form.release input[name=reason]").FillAsync("事務局の職員アドレスのため問題なし");
        await page.GetByRole(AriaRole.Button, new() { Name = "送信する" }).ClickAsync();
        await Assertions.Expect(page.Locator(".pass")).ToHaveTextAsync($"ジョブ {jobId} の第1回を解除・送信しました。");
        await Assertions.Expect(page.Locator(".detail")).ToContainTextAsync("released and sent");
        await ConsoleHost.ScreenshotAsync(page, "release-done-ja");

        Assert.Equal(ChunkState.Sent, (await host.Jobs.GetChunkAsync(jobId, 1, default))!.State);
        Assert.Equal(mailsBefore + 4, OutboxMailSender.OwnFiles(host.Outbox).Count());
        var job = (await host.Jobs.GetJobAsync(jobId, default))!;
        Assert.Contains(await host.Incidents.EventsAsync(job.IncidentId!, default), e =>
            e.Kind == IncidentEventKind.ReleaseDecision && e.Who == $"local:{Environment.UserName}" && e.Reason == "事務局の職員アドレスのため問題なし");
    }

    [Fact]
    public async Task A_contained_chunk_is_discarded_with_who_and_why_and_the_jobs_page_shows_it()
    {
        var jobId = NewJob("discard");
        var incidentId = await EnqueueLeakAsync(jobId);

        var page = await host.NewPageAsync();
        await page.GotoAsync("/api/console/quarantine");
        var card = page.Locator($"section[id='{jobId}-3']");
        await Assertions.Expect(card).ToContainTextAsync("ジョブの停止により未送信のまま保留");
        // Held back before its inspection: the records have no counts for it, and the page does not invent any.
        await Assertions.Expect(card).ToContainTextAsync("未検査: 検査前に保留されました");
        await card.Locator("form.discard input[name=reason]").FillAsync("再作成して送り直すため破棄");
        await card.GetByRole(AriaRole.Button, new() { Name = "破棄する（送信しない）" }).ClickAsync();
        await Assertions.Expect(page.Locator(".pass")).ToHaveTextAsync($"ジョブ {jobId} の第3回を破棄しました。");
        await Assertions.Expect(page.Locator(".detail")).ToContainTextAsync("discarded");
        await ConsoleHost.ScreenshotAsync(page, "discard-done-ja");

        Assert.Equal(ChunkState.Discarded, (await host.Jobs.GetChunkAsync(jobId, 3, default))!.State);
        Assert.Contains(await host.Incidents.EventsAsync(incidentId, default), e =>
            e.Kind == IncidentEventKind.ChunkDiscarded && e.Chunk == 3 && e.Who == $"local:{Environment.UserName}" && e.Reason == "再作成して送り直すため破棄");

        await page.GetByRole(AriaRole.Link, new() { Name = "送信ジョブ" }).First.ClickAsync();
        var row = page.Locator("tr", new() { HasText = jobId });
        await Assertions.Expect(row).ToContainTextAsync("3/3 破棄 (discarded)");
        await Assertions.Expect(row).ToContainTextAsync("1/3 送信済み (sent)");
        await ConsoleHost.ScreenshotAsync(page, "jobs-ja");

        // The incident's page words the system's records in Japanese and keeps the officer's own words as given.
        await page.GotoAsync($"/api/console/incidents/{incidentId}");
        await Assertions.Expect(page.Locator("tr", new() { HasText = "破棄 (chunk-discarded)" })).ToContainTextAsync("第3回を破棄（「再作成して送り直すため破棄」）");
        await Assertions.Expect(page.Locator("tr", new() { HasText = "停止 (halted)" }).First).ToContainTextAsync("第2回の送信前検査でジョブを停止");
        await Assertions.Expect(page.Locator("table").First.Locator("tr", new() { HasText = "理由" })).ToContainTextAsync("送信ジョブ全体");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("fan-in-across-chunks");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("quarantined unsent");
    }

    [Fact]
    public async Task The_console_switches_between_Japanese_and_English_and_remembers_the_choice()
    {
        var incidentId = await EnqueueLeakAsync(NewJob("lang"));
        var page = await host.NewPageAsync();
        await page.GotoAsync("/api/console");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("インシデント");

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Incidents");
        await ConsoleHost.ScreenshotAsync(page, "incidents-en");

        // The choice is remembered across pages.
        await page.GetByRole(AriaRole.Link, new() { Name = incidentId }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Incident {incidentId}");
        await Assertions.Expect(page.Locator("table.notices")).ToContainTextAsync("Apologies to data subjects");
        await Assertions.Expect(page.Locator("pre.report")).ToContainTextAsync($"# Personal data breach report {incidentId}");
        await ConsoleHost.ScreenshotAsync(page, "incident-en");
        await page.GetByRole(AriaRole.Link, new() { Name = "Quarantine", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Quarantine");
        await ConsoleHost.ScreenshotAsync(page, "quarantine-en");

        await page.GetByRole(AriaRole.Link, new() { Name = "日本語" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("隔離中の送信");
    }

    [Fact]
    public async Task An_incident_opened_for_a_job_already_sent_records_the_operator_and_the_reason()
    {
        var jobId = NewJob("phoned");
        await host.Services.GetRequiredService<BatchQueueClient>().EnqueueAsync(Batches.Envelope(jobId, 1, 1, Batches.Mail(Batches.People(300, 3))));
        await ConsoleHost.WaitUntilAsync(async () => (await host.Jobs.GetChunkAsync(jobId, 1, default))?.State == ChunkState.Sent, "the job to be sent");

        var page = await host.NewPageAsync();
        await page.GotoAsync("/api/console");
        var form = page.Locator("form.open-incident");
        await form.Locator("input[name=jobId]").FillAsync("no-such-job");
        await form.Locator("input[name=reason]").FillAsync("お客様から他人の案内が届いたと電話");
        await form.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator(".message")).ToHaveTextAsync("no job 'no-such-job' in the ledger");

        await page.GotoAsync("/api/console");
        await form.Locator("input[name=jobId]").FillAsync(jobId);
        await form.Locator("input[name=reason]").FillAsync("お客様から他人の案内が届いたと電話");
        await form.GetByRole(AriaRole.Button).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(new Regex("^インシデント INC-"));
        var opened = page.Locator("tr", new() { HasText = "お客様から他人の案内が届いたと電話" }).Last;
        await Assertions.Expect(opened).ToContainTextAsync($"local:{Environment.UserName}");
        await Assertions.Expect(page.Locator("table").First).ToContainTextAsync("担当者 (operator)");
        await ConsoleHost.ScreenshotAsync(page, "incident-opened-ja");

        var incidentId = page.Url.Split('/')[^1];
        var declare = page.Locator("form.declare-scope");
        await Assertions.Expect(page.Locator("h2", new() { HasText = "範囲の登録" }).Locator("xpath=following-sibling::p[1]")).ToContainTextAsync("調査中です");
        await declare.Locator("input[value=list]").CheckAsync();
        await declare.Locator("textarea[name=list]").FillAsync("recipient,subject\nstranger@example.org,stranger@example.org\n");
        await declare.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator("ul.errors")).ToContainTextAsync("2行目: s***@example.org はこの送信ジョブの受信者として記録されていません");
        Assert.Empty((await host.Incidents.GetAsync(incidentId, default))!.Declarations);

        await page.GotoAsync($"/api/console/incidents/{incidentId}");
        await declare.Locator("input[value=everyone]").CheckAsync();
        await declare.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"インシデント {incidentId}");
        await Assertions.Expect(page.Locator("h2", new() { HasText = "範囲の登録" }).Locator("xpath=following-sibling::p[1]")).ToContainTextAsync("登録済み");
        var declared = (await host.Incidents.GetAsync(incidentId, default))!.Declarations;
        Assert.Equal($"local:{Environment.UserName}", Assert.Single(declared).By.Name);
        await ConsoleHost.ScreenshotAsync(page, "incident-scope-declared-ja");
    }

    [Fact]
    public async Task An_operator_form_posted_without_the_console_token_or_cross_site_changes_nothing()
    {
        var jobId = NewJob("csrf");
        await EnqueueLeakAsync(jobId);
        var page = await host.NewPageAsync();
        await page.GotoAsync("/api/console/quarantine");
        var token = await page.Locator($"section[id='{jobId}-3'] form.discard input[name=csrf]").InputValueAsync();
        var path = $"/api/console/jobs/{jobId}/chunks/3/discard";

        var noToken = await page.APIRequest.PostAsync(path, new() { Form = Form(page, ("reason", "forged")) });
        var wrongToken = await page.APIRequest.PostAsync(path, new() { Form = Form(page, ("reason", "forged"), ("csrf", new string('A', 43))) });
        var crossSite = await page.APIRequest.PostAsync(path, new() { Form = Form(page, ("reason", "forged"), ("csrf", token)), Headers = new Dictionary<string, string> { ["Sec-Fetch-Site"] = "cross-site" } });
        var noReason = await page.APIRequest.PostAsync(path, new() { Form = Form(page, ("reason", "  "), ("csrf", token)) });

        Assert.Equal([403, 403, 403, 400], new[] { noToken.Status, wrongToken.Status, crossSite.Status, noReason.Status });
        Assert.Equal(ChunkState.Quarantined, (await host.Jobs.GetChunkAsync(jobId, 3, default))!.State);

        var genuine = await page.APIRequest.PostAsync(path, new() { Form = Form(page, ("reason", "重複送信のため破棄"), ("csrf", token)) });
        Assert.Equal(200, genuine.Status);
        Assert.Equal(ChunkState.Discarded, (await host.Jobs.GetChunkAsync(jobId, 3, default))!.State);
    }

    [Fact]
    public async Task A_recipients_not_mine_report_pauses_the_job_and_the_officers_dismissal_in_the_console_releases_it()
    {
        var jobId = NewJob("notmine");
        var queue = host.Services.GetRequiredService<BatchQueueClient>();
        await queue.EnqueueAsync(Batches.Envelope(jobId, 1, 2, Batches.Mail(Batches.People(400, 3))));
        await ConsoleHost.WaitUntilAsync(async () => (await host.Jobs.GetChunkAsync(jobId, 1, default))?.State == ChunkState.Sent, "chunk 1 to be sent");

        // The recipient opens the link of their mail (as the outbox rendered it) on `detector run`, and presses the button.
        var link = NotMineLinks(host.Outbox).First(l => l.Contains($".{jobId}.1.1.", StringComparison.Ordinal));
        var page = await host.NewPageAsync();
        // `detector run` on port 0 links to the port it was asked for, not the one it got: follow the path and token.
        await page.GotoAsync(new Uri(link).PathAndQuery);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        Assert.Null(await host.Jobs.GetJobAsync(jobId, default) is { State: JobState.Halted } ? "halted on GET" : null);
        await page.GetByLabel("ご住所").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "このメールは私宛てではありません" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("ありがとうございました");
        Assert.Equal(JobState.Halted, (await host.Jobs.GetJobAsync(jobId, default))!.State);

        await queue.EnqueueAsync(Batches.Envelope(jobId, 2, 2, Batches.Mail(Batches.People(410, 3))));
        await ConsoleHost.WaitUntilAsync(async () => (await host.Jobs.GetChunkAsync(jobId, 2, default))?.State == ChunkState.Quarantined, "chunk 2 to be held");
        var incidentId = (await host.Jobs.GetJobAsync(jobId, default))!.IncidentId!;

        await page.GotoAsync("/api/console");
        await Assertions.Expect(page.Locator("tr", new() { HasText = incidentId })).ToContainTextAsync("受信者の申告");
        await page.GetByRole(AriaRole.Link, new() { Name = incidentId }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("受信者からの「私宛てではない」申告");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("住所");
        await ConsoleHost.ScreenshotAsync(page, "not-mine-incident-ja");
        var form = page.Locator("form.dismiss");
        await form.Locator("input[name=reason]").FillAsync("ご家族宛ての案内と確認できたため");
        await form.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator("p.pass").First).ToHaveTextAsync("申告を却下し、ジョブを再開しました。");

        Assert.Equal(JobState.Open, (await host.Jobs.GetJobAsync(jobId, default))!.State);
        Assert.Equal(ChunkState.Sent, (await host.Jobs.GetChunkAsync(jobId, 2, default))!.State);
        Assert.Contains(await host.Incidents.EventsAsync(incidentId, default), e =>
            e.Kind == IncidentEventKind.ReportDismissed && e.Who == $"local:{Environment.UserName}" && e.Reason == "ご家族宛ての案内と確認できたため");
    }

    /// <summary>Every "not mine" link in the mails of the outbox.</summary>
    private static IEnumerable<string> NotMineLinks(string outbox) =>
        OutboxMailSender.OwnFiles(outbox).SelectMany(f => File.ReadLines(f))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("not_mine_url: ", StringComparison.Ordinal))
            .Select(l => l["not_mine_url: ".Length..]);

    private static IFormData Form(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }

    /// <summary>Every recipient's and data subject's address in the files (not the sender's own addresses).</summary>
    private static IEnumerable<string> PersonalAddresses(IEnumerable<string> files) =>
        files.SelectMany(f => Email().Matches(File.ReadAllText(f)).Select(m => m.Value))
            .Where(a => !a.EndsWith("@reds-seasonticket.example.jp", StringComparison.OrdinalIgnoreCase))
            .Distinct()
            .ToList() is { Count: > 0 } list ? list : throw new InvalidOperationException("no addresses in the samples");

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();
}
