using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Azure.Storage;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Reports;
using MisSend.TestSupport.InMemory;

namespace MisSend.Integration.Tests;

/// <summary>One implementation of every storage port, with a way to put a claim-check body.</summary>
public sealed record PortSet(IJobStore Jobs, IExposureLedger Ledger, IIncidentStore Incidents, INoticeStore Notices, IBodyStore Bodies, IClaimCheckStore ClaimChecks,
    Func<string, byte[], Task> PutClaimCheck);

/// <summary>
/// What the application relies on from its storage ports: insert-if-absent, replaces conditional on the version read,
/// exactly one winner of a race, and values that read back as written. The same tests run against the in-memory ports
/// the fault tests use and against the Azure adapters on Azurite, so the fault tests prove something about Azure.
/// </summary>
public abstract class PortContractTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 1, 2, 3, TimeSpan.Zero);

    protected abstract Task<PortSet> PortsAsync();

    [Fact]
    public async Task Job_is_added_once_and_replaced_only_with_the_version_it_was_read_with()
    {
        var p = await PortsAsync();
        var job = new JobRecord("reds-2027-renewal") { ChunkCount = 3, BatchId = "YmF0Y2g", Cancel = CancelState.Requested, CancelAttempts = 2, NextCancelAt = At, FirstSentAt = At, HaltedAt = At.AddMinutes(1), IncidentId = "INC-0123456789AB", CancelError = "NotAccepted (500)" };

        var added = await p.Jobs.TryAddJobAsync(job, default);
        Assert.NotNull(added?.Version);
        Assert.Null(await p.Jobs.TryAddJobAsync(job with { ChunkCount = 9 }, default));
        Assert.Equal(job with { Version = added.Version }, await p.Jobs.GetJobAsync(job.JobId, default));

        var halted = await p.Jobs.TryReplaceJobAsync(added with { State = JobState.Halted }, default);
        Assert.NotNull(halted);
        Assert.NotEqual(added.Version, halted.Version);
        Assert.Null(await p.Jobs.TryReplaceJobAsync(added with { State = JobState.Open }, default));
        Assert.Equal(JobState.Halted, (await p.Jobs.GetJobAsync(job.JobId, default))!.State);
        Assert.Null(await p.Jobs.TryReplaceJobAsync(new JobRecord("never-added") { Version = halted.Version }, default));
        Assert.Null(await p.Jobs.GetJobAsync("never-added", default));
    }

    [Fact]
    public async Task Of_two_writers_with_the_same_version_exactly_one_wins()
    {
        var p = await PortsAsync();
        var chunk = (await p.Jobs.TryAddChunkAsync(new ChunkRecord("reds-2027-renewal", 1) { Fingerprint = "ab" }, default))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => p.Jobs.TryReplaceChunkAsync(chunk with { Reason = $"writer {i}" }, default))));

        var winner = Assert.Single(results, r => r is not null)!;
        Assert.Equal(winner.Reason, (await p.Jobs.GetChunkAsync("reds-2027-renewal", 1, default))!.Reason);
        var adds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => p.Jobs.TryAddChunkAsync(new ChunkRecord("reds-2027-renewal", 2), default))));
        Assert.Single(adds, r => r is not null);
    }

    [Fact]
    public async Task Chunk_reads_back_every_field_and_a_job_lists_only_its_own_chunks_in_order()
    {
        var p = await PortsAsync();
        var chunk = new ChunkRecord("reds-2027-renewal", 12)
        {
            State = ChunkState.Unknown, Fingerprint = new string('f', 64), LeaseUntil = At, AttemptId = Guid.NewGuid().ToString("N"), AttemptedAt = At,
            Attempts = 2, Checks = 3, NextCheckAt = At.AddMinutes(4), SendAt = At.AddMinutes(30), SentAt = null, Personalizations = 1000, Recipients = 1002,
            SafeSubject = "…様 2027シーズンチケット お支払いのご案内", Reason = "SendGrid's answer was lost",
        };
        var stored = (await p.Jobs.TryAddChunkAsync(chunk, default))!;
        await p.Jobs.TryAddChunkAsync(new ChunkRecord("reds-2027-renewal", 3), default);
        await p.Jobs.TryAddChunkAsync(new ChunkRecord("reds-2027-renewal.v2", 1), default);
        await p.Jobs.TryAddJobAsync(new JobRecord("reds-2027-renewal"), default);

        Assert.Equal(chunk with { Version = stored.Version }, await p.Jobs.GetChunkAsync("reds-2027-renewal", 12, default));
        Assert.Equal([3, 12], (await p.Jobs.ListChunksAsync("reds-2027-renewal", default)).Select(c => c.Chunk));
        Assert.Null(await p.Jobs.GetChunkAsync("reds-2027-renewal", 4, default));
    }

    [Fact]
    public async Task Flags_are_idempotent_both_ways()
    {
        var p = await PortsAsync();
        var job = new AttentionFlag("reds-2027-renewal", AttentionFlag.Job);
        var chunk = new AttentionFlag("reds-2027-renewal", 7);

        await p.Jobs.FlagAsync(chunk, default);
        await p.Jobs.FlagAsync(chunk, default);
        await p.Jobs.FlagAsync(job, default);
        await p.Jobs.UnflagAsync(new AttentionFlag("other", 1), default);

        Assert.Equal([job, chunk], (await p.Jobs.ListFlagsAsync(default)).OrderBy(f => f.Chunk));
        await p.Jobs.UnflagAsync(chunk, default);
        await p.Jobs.UnflagAsync(chunk, default);
        Assert.Equal([job], await p.Jobs.ListFlagsAsync(default));
    }

    [Fact]
    public async Task Ledger_keeps_one_row_per_delivery_and_finds_a_recipients_rows()
    {
        var p = await PortsAsync();
        DataCategory[] categories = [DataCategory.Seat, DataCategory.Name, DataCategory.BankAccount];
        var d = new LedgerDelivery("reds-2027-renewal", 2, 5, "sato.misaki0000@example.jp", "k:RS-2026040", "suzuki0040@example.jp", categories, false, true, "鈴木 一郎", "guardian");

        await p.Ledger.RecordAsync([d, d with { Chunk = 3 }, Delivery(1, 0, "takahashi0002@example.jp", "k:RS-2026002")], default);
        await p.Ledger.RecordAsync([d], default);
        await p.Ledger.RecordAsync([d with { JobId = "another-job" }], default);

        var toRecipient = await p.Ledger.DeliveriesToAsync("reds-2027-renewal", d.Recipient, default);
        Assert.Equal(Rows([d, d with { Chunk = 3 }]), Rows(toRecipient.OrderBy(x => x.Chunk)));
        Assert.Equal(3, (await p.Ledger.DeliveriesAsync("reds-2027-renewal", default)).Count);
        Assert.Empty(await p.Ledger.DeliveriesToAsync("reds-2027-renewal", "nobody@example.jp", default));
    }

    [Fact]
    public async Task Delivery_claims_are_first_wins_and_of_two_racing_chunks_exactly_one_sees_the_other()
    {
        var p = await PortsAsync();
        var recipients = Enumerable.Range(0, 150).Select(i => $"holder{i:D4}@example.jp").ToList();
        List<DeliveryClaim> Claims(int chunk, IEnumerable<string> who) =>
            who.SelectMany(r => new[] { DeliveryClaim.Recipient("reds-2027-renewal", r, chunk), DeliveryClaim.Subject("reds-2027-renewal", $"k:{r}", chunk) }).ToList();

        // 150 recipients and their subjects (more than one 100-row transaction), 50 of them in both chunks.
        var (a, b) = (recipients.Take(100).ToList(), recipients.Skip(50).ToList());
        var seen = await Task.WhenAll(Task.Run(() => p.Ledger.ClaimAsync(Claims(1, a), default)), Task.Run(() => p.Ledger.ClaimAsync(Claims(2, b), default)));

        var shared = recipients.Skip(50).Take(50).SelectMany(r => new[] { "rcpt:" + r, "subj:k:" + r }).ToHashSet();
        Assert.Equal(shared.Order(), seen.SelectMany(s => s).Select(c => c.Key).Order());
        Assert.All(seen[0], c => Assert.Equal(2, c.Chunk));
        Assert.All(seen[1], c => Assert.Equal(1, c.Chunk));

        // The same chunk claiming again sees its own claims.
        var again = await p.Ledger.ClaimAsync(Claims(1, a.Take(3)), default);
        Assert.Equal(6, again.Count);
        Assert.All(again, c => Assert.Equal(1, c.Chunk));
    }

    [Fact]
    public async Task Incident_is_added_once_replaced_conditionally_and_listed_while_open()
    {
        var p = await PortsAsync();
        var incident = IncidentRecord.Open("INC-0123456789AB", "reds-2027-renewal", IncidentSource.Operator, false, new OperatorAction("佐藤 (privacy office)"), At, "customers phoned in")
            with { Language = "ja", ContactEmail = "privacy@reds-seasonticket.example.jp" };

        var added = (await p.Incidents.TryAddAsync(incident, default))!;
        Assert.Null(await p.Incidents.TryAddAsync(incident, default));
        Assert.Equal(Rows([incident with { Version = added.Version }]), Rows([(await p.Incidents.GetAsync(incident.IncidentId, default))!]));
        Assert.Contains(await p.Incidents.ListOpenAsync(default), i => i.IncidentId == incident.IncidentId);

        var notified = await p.Incidents.TryReplaceAsync(added with { Status = IncidentStatus.NotifiedWithUnconfirmed }, default);
        Assert.NotNull(notified);
        Assert.Null(await p.Incidents.TryReplaceAsync(added with { Status = IncidentStatus.Contained }, default));
        Assert.DoesNotContain(await p.Incidents.ListOpenAsync(default), i => i.IncidentId == incident.IncidentId);
    }

    [Fact]
    public async Task Incident_reads_back_its_kind_history_declarations_a_long_list_and_operator_records()
    {
        var p = await PortsAsync();
        var officer = new OperatorAction("佐藤 (privacy office)");
        var opened = IncidentRecord.Open("INC-00AA11BB22CC", "reds-2027-renewal", IncidentSource.Detector, false, OperatorAction.Detector, At, "fan-in-across-chunks");
        var added = (await p.Incidents.TryAddAsync(opened, default))!;

        // 5,000 lines: far more than one table property holds.
        var pairs = Enumerable.Range(0, 5000).Select(i => new DeclaredPair(i + 2, $"holder{i:D4}@example.jp", $"k:RS-{i + 1}", i % 3 == 0 ? [DataCategory.Amount] : null)).ToList();
        var changed = added.WithKind(IncidentKind.Leak, OperatorAction.Timer, At.AddMinutes(3), "chunk 1 turned out sent") with
        {
            Declarations =
            [
                ScopeDeclaration.Shifted(1, officer.Actor, At.AddMinutes(4), [DataCategory.Amount]),
                ScopeDeclaration.List(pairs, officer.Actor, At.AddMinutes(5)),
                ScopeDeclaration.Everyone(officer.Actor, At.AddMinutes(6)),
            ],
            NoticesStarted = true,
            Records = new OperatorRecords(Answer.No, Answer.Unknown, null, "名簿の列ずれ", At.AddDays(1), null, "委託先: 株式会社サンプル"),
        };
        var replaced = (await p.Incidents.TryReplaceAsync(changed, default))!;
        var read = (await p.Incidents.GetAsync(opened.IncidentId, default))!;

        Assert.Equal(Rows([changed with { Version = replaced.Version }]), Rows([read]));
        Assert.Equal([IncidentKind.NearMiss, IncidentKind.Leak], read.KindHistory.Select(k => k.To));
        Assert.Equal(5000, read.Declarations[1].Pairs!.Count);
        Assert.Equal(read.Declarations.Select(d => d.Kind), (await p.Incidents.ListOpenAsync(default)).Single(i => i.IncidentId == opened.IncidentId).Declarations.Select(d => d.Kind));

        // Writing the same declarations again (any later change of the row) keeps them whole.
        var again = (await p.Incidents.TryReplaceAsync(read with { Status = IncidentStatus.Notified }, default))!;
        Assert.Equal(Rows([read with { Status = IncidentStatus.Notified, Version = again.Version }]), Rows([(await p.Incidents.GetAsync(opened.IncidentId, default))!]));
    }

    [Fact]
    public async Task Incident_events_read_back_in_time_order_and_findings_and_candidates_by_id()
    {
        var p = await PortsAsync();
        const string id = "INC-0123456789AB";
        await p.Incidents.AppendEventAsync(new IncidentEvent(id, At.AddMinutes(2), IncidentEventKind.ChunkReleased, "佐藤 (privacy office)", "chunk 2 released and sent", 2), default);
        await p.Incidents.AppendEventAsync(new IncidentEvent(id, At, IncidentEventKind.Halted, "detector", "chunk 1: fan-in", 1), default);
        await p.Incidents.AppendEventAsync(new IncidentEvent(id, At, IncidentEventKind.Halted, "detector", "chunk 1: fan-in", 1), default);
        await p.Incidents.AppendEventAsync(new IncidentEvent(id, At.AddMinutes(1), IncidentEventKind.StatusChanged, "notice-timer", "notified"), default);
        await p.Incidents.AppendEventAsync(new IncidentEvent(id, At.AddMinutes(3), IncidentEventKind.WaveFailed, "notice-timer", "12 × apology: refused", Count: 12), default);

        var events = await p.Incidents.EventsAsync(id, default);
        Assert.Equal([IncidentEventKind.Halted, IncidentEventKind.Halted, IncidentEventKind.StatusChanged, IncidentEventKind.ChunkReleased, IncidentEventKind.WaveFailed], events.Select(e => e.Kind));
        Assert.Equal("佐藤 (privacy office)", events[^2].Who);
        Assert.Equal((12, (int?)null), (events[^1].Count, events[^1].Chunk));

        Finding[] findings = [new(Rules.FanInAcrossChunks, 0, [DataCategory.MemberId, DataCategory.Amount], 1, "s***@example.ne.jp already received another person's data in chunk 1 of this job")];
        await p.Incidents.SaveFindingsAsync(new ChunkFindings(id, 2, findings, At), default);
        await p.Incidents.SaveFindingsAsync(new ChunkFindings(id, 2, findings, At, PreventedSubjects: 3, PreventedRecipients: 1), default);
        var stored = Assert.Single(await p.Incidents.FindingsAsync(id, default));
        Assert.Equal((2, At, 3, 1), (stored.Chunk, stored.DetectedAt, stored.PreventedSubjects, stored.PreventedRecipients));
        Assert.Equal(findings[0].Categories, Assert.Single(stored.Findings).Categories);

        var candidate = new ExposureCandidate(id, 1, "sato.misaki0000@example.ne.jp", "k:RS-2026040", null, [DataCategory.Name, DataCategory.MemberId], "鈴木 一郎");
        await p.Incidents.AddExposureCandidatesAsync([candidate, candidate, candidate with { Chunk = 2 }], default);
        Assert.Equal(Rows([candidate, candidate with { Chunk = 2 }]), Rows((await p.Incidents.ExposureCandidatesAsync(id, default)).OrderBy(c => c.Chunk)));
    }

    [Fact]
    public async Task Not_mine_reports_count_once_per_personalization_replace_conditionally_and_read_back_whole()
    {
        var p = await PortsAsync();
        const string id = "INC-0A1B2C3D4E5F";
        var report = new NotMineReport(id, "reds-2027-payment-guide", 2, 117) { ReportedAt = At, Parts = [NotMinePart.Name, NotMinePart.Amount] };

        var added = (await p.Incidents.TryAddNotMineReportAsync(report, default))!;
        Assert.NotNull(added.Version);
        Assert.Null(await p.Incidents.TryAddNotMineReportAsync(report with { ReportedAt = At.AddMinutes(1) }, default));
        await p.Incidents.TryAddNotMineReportAsync(report with { Chunk = 1, Personalization = 3 }, default);

        var acted = added with
        {
            ActedAt = At.AddSeconds(1),
            Suspected = [new SuspectedDelivery("sato.misaki0000@example.ne.jp", "k:RS-2026040", "suzuki.takuya0016@example.jp", [DataCategory.Name, DataCategory.Address], OwnerConfirmed: false)],
        };
        var replaced = (await p.Incidents.TryReplaceNotMineReportAsync(acted, default))!;
        Assert.Null(await p.Incidents.TryReplaceNotMineReportAsync(added with { AlertedAt = At }, default));

        var read = await p.Incidents.NotMineReportsAsync(id, default);
        Assert.Equal([(1, 3), (2, 117)], read.Select(r => (r.Chunk, r.Personalization)));
        Assert.Equal(Rows([acted with { Version = replaced.Version }]), Rows([read[1]]));
        Assert.Empty(await p.Incidents.NotMineReportsAsync("INC-000000000000", default));

        var job = new JobRecord("reds-2027-payment-guide") { State = JobState.Halted, HaltedAt = At, HaltedBy = IncidentSource.RecipientReport, IncidentId = id };
        await p.Jobs.TryAddJobAsync(job, default);
        Assert.Equal((IncidentSource?)IncidentSource.RecipientReport, (await p.Jobs.GetJobAsync(job.JobId, default))!.HaltedBy);
        var incident = IncidentRecord.Open(id, job.JobId, IncidentSource.RecipientReport, false, OperatorAction.Recipient, At, "a recipient reported a mail") with { LastReportAt = At, LastAlertAt = At.AddMinutes(1) };
        var stored = (await p.Incidents.TryAddAsync(incident, default))!;
        Assert.Equal(Rows([incident with { Version = stored.Version }]), Rows([(await p.Incidents.GetAsync(id, default))!]));
    }

    [Fact]
    public async Task Notices_insert_only_new_rows_and_replace_only_rows_unchanged_since_read()
    {
        var p = await PortsAsync();
        const string id = "INC-0123456789AB";
        var rows = Enumerable.Range(0, 150).Select(i => new NoticeRecord(id, i % 2 == 0 ? NoticeKind.Apology : NoticeKind.DeleteRequest, $"holder{i:D4}@example.jp", $"key-{i:D4}_x")
        {
            Language = "ja", Name = "佐藤 美咲", SubjectKey = i % 2 == 0 ? $"k:RS-{i}" : null, Categories = [DataCategory.Name, DataCategory.Seat], RecipientCount = 2, MailCount = 1,
            FirstSentAt = At.AddMinutes(-30), MailSubject = "2027シーズンチケット お支払いのご案内", WaveId = "w1", LeaseUntil = At,
        }).ToList();

        var first = await p.Notices.InsertNewAsync(rows.Take(100).ToList(), default);
        var second = await p.Notices.InsertNewAsync(rows, default);

        Assert.Equal(100, first.Count);
        Assert.Equal(rows.Skip(100).Select(r => r.Email), second.Select(r => r.Email).Order());
        Assert.All(first.Concat(second), r => Assert.NotNull(r.Version));
        var all = await p.Notices.ListAsync(id, default);
        Assert.Equal(150, all.Count);
        Assert.Equal(Rows([rows[7] with { Version = all.Single(r => r.Email == rows[7].Email).Version }]), Rows([all.Single(r => r.Email == rows[7].Email)]));

        // A row someone else changed in between is not overwritten; the others land.
        var changed = await p.Notices.TryReplaceAsync(all[0] with { ConfirmedDeletedAt = At }, default);
        Assert.NotNull(changed);
        var landed = await p.Notices.ReplaceAllAsync(all.Select(r => r with { State = NoticeState.Sent, SentAt = At }).ToList(), default);
        Assert.Equal(149, landed.Count);
        var after = await p.Notices.ListAsync(id, default);
        Assert.Equal((NoticeState.Sending, (DateTimeOffset?)At), (after.Single(r => r.Email == all[0].Email).State, after.Single(r => r.Email == all[0].Email).ConfirmedDeletedAt));
        Assert.Equal(149, after.Count(r => r.State == NoticeState.Sent));

        var byKey = await p.Notices.GetAsync(id, rows[1].Kind, rows[1].Key, default);
        Assert.Equal((rows[1].Email, rows[1].Key), (byKey!.Email, byKey.Key));
        Assert.Null(await p.Notices.GetAsync(id, NoticeKind.Apology, rows[1].Key, default));
        Assert.Null(await p.Notices.GetAsync(id, rows[1].Kind, Keys.Hash(rows[1].Email), default));
    }

    [Fact]
    public async Task Waves_are_kept_apart_from_notices_and_replaced_conditionally()
    {
        var p = await PortsAsync();
        const string id = "INC-0123456789AB";
        var wave = new WaveRecord(id, Guid.NewGuid().ToString("N"), NoticeKind.DeleteRequest, "en", 12) { AttemptedAt = At, LeaseUntil = At.AddMinutes(5) };
        await p.Notices.InsertNewAsync([new NoticeRecord(id, NoticeKind.DeleteRequest, "holder0001@example.com", "a1b2c3")], default);

        var added = (await p.Notices.TryAddWaveAsync(wave, default))!;
        Assert.Null(await p.Notices.TryAddWaveAsync(wave, default));
        var unknown = await p.Notices.TryReplaceWaveAsync(added with { State = NoticeState.Unknown, Checks = 1, NextCheckAt = At.AddMinutes(1), Reason = "answer lost" }, default);
        Assert.NotNull(unknown);
        Assert.Null(await p.Notices.TryReplaceWaveAsync(added with { State = NoticeState.Sent }, default));

        Assert.Equal(wave with { State = NoticeState.Unknown, Checks = 1, NextCheckAt = At.AddMinutes(1), Reason = "answer lost", Version = unknown.Version }, Assert.Single(await p.Notices.ListWavesAsync(id, default)));
        Assert.Single(await p.Notices.ListAsync(id, default));
    }

    [Fact]
    public async Task Bodies_are_kept_read_and_deleted_and_claim_check_reads_refuse_an_oversized_body()
    {
        var p = await PortsAsync();
        var body = System.Text.Encoding.UTF8.GetBytes(Batches.Envelope("reds-2027-renewal", 1, 1, Batches.Mail(Batches.People(0, 3))));

        await p.Bodies.KeepAsync("reds-2027-renewal", 1, body, default);
        Assert.Equal(body, await p.Bodies.ReadKeptAsync("reds-2027-renewal", 1, default));
        await p.Bodies.WriteReasonAsync("reds-2027-renewal", 1, "{\"verdict\":\"halt\"}", default);
        await p.Bodies.DeleteKeptAsync("reds-2027-renewal", 1, default);
        await p.Bodies.DeleteKeptAsync("reds-2027-renewal", 1, default);
        Assert.Null(await p.Bodies.ReadKeptAsync("reds-2027-renewal", 1, default));
        await p.Bodies.SetAsideAsync("rejected/m-1", body, "{\"verdict\":\"rejected\"}", default);

        await p.PutClaimCheck("20261128/0f3c.json", body);
        Assert.Equal(body, await p.ClaimChecks.ReadAsync("20261128/0f3c.json", body.Length, default));
        await Assert.ThrowsAsync<BatchFormatException>(() => p.ClaimChecks.ReadAsync("20261128/0f3c.json", body.Length - 1, default));
        Assert.Null(await p.ClaimChecks.ReadAsync("20261128/missing.json", body.Length, default));
        await p.ClaimChecks.DeleteAsync("20261128/0f3c.json", default);
        await p.ClaimChecks.DeleteAsync("20261128/0f3c.json", default);
        Assert.Null(await p.ClaimChecks.ReadAsync("20261128/0f3c.json", body.Length, default));
    }

    /// <summary>Records as comparable text: their lists by content, not by reference.</summary>
    private static List<string> Rows<T>(IEnumerable<T> records) => records.Select(r => System.Text.Json.JsonSerializer.Serialize(r, StoredJson.Options)).ToList();

    private static LedgerDelivery Delivery(int chunk, int personalization, string recipient, string subject) =>
        new("reds-2027-renewal", chunk, personalization, recipient, subject, recipient, [DataCategory.Name], true, false);
}

public sealed class InMemoryPortContractTests : PortContractTests
{
    protected override Task<PortSet> PortsAsync()
    {
        var faults = new FaultPlan();
        var claimChecks = new InMemoryClaimCheckStore();
        return Task.FromResult(new PortSet(new InMemoryJobStore(faults), new InMemoryExposureLedger(faults), new InMemoryIncidentStore(faults),
            new InMemoryNoticeStore(faults), new InMemoryBodyStore(faults), claimChecks, (name, body) =>
            {
                claimChecks.Put(name, body);
                return Task.CompletedTask;
            }));
    }
}

[Collection(PipelineCollection.Name)]
public sealed class AzurePortContractTests(AzuriteFixture azurite) : PortContractTests, IAsyncLifetime
{
    private readonly List<Harness> _harnesses = [];

    protected override async Task<PortSet> PortsAsync()
    {
        var h = await Harness.StartAsync(azurite);
        _harnesses.Add(h);
        var claimChecks = h.Services.GetRequiredService<BlobClaimCheckStore>();
        return new PortSet(h.Jobs, h.Ledger, h.Incidents, h.Notices, h.Services.GetRequiredService<IBodyStore>(), claimChecks,
            (name, body) => claimChecks.UploadAsync(name, body, default));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var h in _harnesses)
        {
            await h.DisposeAsync();
        }
    }
}
