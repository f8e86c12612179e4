using System.Text.Json.Nodes;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace MisSend.Integration.Tests;

/// <summary>The InspectBatch function on Azurite, sending through the official SendGrid client to a loopback stand-in.</summary>
[Collection(PipelineCollection.Name)]
public sealed class SendPipelineTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Clean_batch_is_sent_once_as_is_with_its_attempt_id_and_recorded()
    {
        await using var h = await Harness.StartAsync(azurite);
        var jobId = Batches.NewJobId();
        var mail = Batches.Mail(Batches.People(0, 12));

        await h.RunFunctionAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 1, mail)));

        var send = Assert.Single(h.MailSends);
        Assert.True(JsonNode.DeepEquals(mail, Harness.SentMail(send)), "the mail/send body must be the batch's mail unchanged but for our custom arg");
        Assert.Equal("Bearer " + Harness.ApiKey, Harness.Header(send, "Authorization"));
        Assert.Single(h.Server.LogEntries);
        var chunk = (await h.Jobs.GetChunkAsync(jobId, 1, default))!;
        Assert.Equal(ChunkState.Sent, chunk.State);
        Assert.Equal(chunk.AttemptId, Harness.Body(send)["custom_args"]![OutgoingMail.AttemptArg]!.GetValue<string>());
        var deliveries = await h.Ledger.DeliveriesAsync(jobId, default);
        Assert.Equal(12, deliveries.Count);
        Assert.All(deliveries, d => Assert.False(d.Misdirected));
        Assert.Equal(Batches.People(0, 12).Select(p => p.Email).Order(), deliveries.Select(d => d.Recipient).Order());
        Assert.NotNull((await h.Jobs.GetJobAsync(jobId, default))!.FirstSentAt);
        Assert.Null(await h.QuarantineBlobAsync($"{jobId}/chunk-00001.json")); // the kept body is gone once it is sent
    }

    [Fact]
    public async Task Senders_own_custom_args_are_kept_beside_the_attempt_id()
    {
        await using var h = await Harness.StartAsync(azurite);
        var mail = Batches.Mail(Batches.People(20, 3));
        mail["custom_args"] = new JsonObject { ["campaign"] = "renewal-2027" };

        await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(Batches.NewJobId(), 1, 1, mail)));

        Assert.True(JsonNode.DeepEquals(mail, Harness.SentMail(Assert.Single(h.MailSends))));
    }

    [Fact]
    public async Task Incident_replay_is_halted_before_any_request_and_quarantined_with_a_masked_incident()
    {
        await using var h = await Harness.StartAsync(azurite);
        var body = await File.ReadAllTextAsync(Samples.Path("incident-replay.json"));
        var message = await h.EnqueueAndReceiveAsync(body);

        var result = await h.HandleAsync(message);

        Assert.Equal(InspectionOutcome.Halted, result.Outcome);
        Assert.Empty(h.Server.LogEntries);
        var jobId = Keys.JobIdForBareMessage(message.MessageId);
        Assert.Equal(jobId, result.JobId);
        Assert.Equal(body, await h.QuarantineBlobAsync($"{jobId}/chunk-00001.json"));
        var reason = JsonNode.Parse((await h.QuarantineBlobAsync($"{jobId}/chunk-00001.reason.json"))!)!;
        Assert.Equal("halt", reason["verdict"]!.GetValue<string>());
        Assert.NotEmpty(reason["findings"]!.AsArray());
        Assert.All(reason["findings"]!.AsArray(), f => Assert.All(f!["categories"]!.AsArray(), c => Assert.NotNull(DataCategoryId(c!))));

        var incident = await h.Incidents.GetAsync(Keys.IncidentFor(jobId), default);
        Assert.NotNull(incident);
        Assert.Equal(jobId, incident.JobId);
        var findings = Assert.Single(await h.Incidents.FindingsAsync(incident.IncidentId, default));
        var findingsJson = StoredJson.Findings(findings.Findings);
        Assert.NotEmpty(findings.Findings);
        foreach (var address in Samples.Addresses(body))
        {
            Assert.DoesNotContain(address, findingsJson, StringComparison.OrdinalIgnoreCase);
        }

        var job = await h.Jobs.GetJobAsync(jobId, default);
        Assert.Equal(JobState.Halted, job!.State);
        Assert.Equal(incident.IncidentId, job.IncidentId);
        Assert.Equal(ChunkState.Quarantined, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);
    }

    private static Core.Detection.DataCategory? DataCategoryId(JsonNode id) => Core.Detection.DataCategoryNames.FromId(id.GetValue<string>());

    [Fact]
    public async Task Duplicate_delivery_of_the_same_message_is_sent_once()
    {
        await using var h = await Harness.StartAsync(azurite);
        var jobId = Batches.NewJobId();
        var message = await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 1, Batches.Mail(Batches.People(100, 5))));

        await h.RunFunctionAsync(message);
        var second = await h.HandleAsync(Harness.Redelivery(message));

        Assert.Equal(InspectionOutcome.Duplicate, second.Outcome);
        Assert.Single(h.MailSends);
        Assert.Equal(ChunkState.Sent, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);
    }

    [Fact]
    public async Task Leaky_chunk_first_contains_the_clean_chunk_after_it()
    {
        await using var h = await Harness.StartAsync(azurite);
        var jobId = Batches.NewJobId();
        var leaky = Batches.LeakByBcc(Batches.Mail(Batches.People(0, 6)));
        var clean = Batches.Mail(Batches.People(6, 6));

        var first = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 2, leaky)));
        var second = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 2, 2, clean)));

        Assert.Equal(InspectionOutcome.Halted, first.Outcome);
        Assert.Equal(InspectionOutcome.Contained, second.Outcome);
        Assert.Equal(first.IncidentId, second.IncidentId);
        Assert.Empty(h.Server.LogEntries);
        Assert.Equal(ChunkState.Quarantined, (await h.Jobs.GetChunkAsync(jobId, 2, default))!.State);
        Assert.NotNull(await h.QuarantineBlobAsync($"{jobId}/chunk-00002.json"));
        Assert.Empty(await h.Ledger.DeliveriesAsync(jobId, default));
    }

    [Fact]
    public async Task Clean_chunk_sent_then_leaky_chunk_halts_then_a_later_clean_chunk_is_contained()
    {
        await using var h = await Harness.StartAsync(azurite);
        var jobId = Batches.NewJobId();
        var chunk1 = Batches.Mail(Batches.People(0, 5));
        var chunk2 = Batches.LeakByBcc(Batches.Mail(Batches.People(5, 5)));
        var chunk3 = Batches.Mail(Batches.People(10, 5));

        var r1 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 3, chunk1)));
        var r2 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 2, 3, chunk2)));
        var r3 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 3, 3, chunk3)));

        Assert.Equal([InspectionOutcome.Sent, InspectionOutcome.Halted, InspectionOutcome.Contained], [r1.Outcome, r2.Outcome, r3.Outcome]);
        var send = Assert.Single(h.MailSends);
        Assert.True(JsonNode.DeepEquals(chunk1, Harness.SentMail(send)));
        Assert.Equal(ChunkState.Sent, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);
        Assert.Equal(ChunkState.Quarantined, (await h.Jobs.GetChunkAsync(jobId, 2, default))!.State);
        Assert.Equal(ChunkState.Quarantined, (await h.Jobs.GetChunkAsync(jobId, 3, default))!.State);
        Assert.Equal(JobState.Halted, (await h.Jobs.GetJobAsync(jobId, default))!.State);
    }

    [Fact]
    public async Task Fan_in_across_chunks_halts_the_second_chunk_and_records_the_first_as_an_exposure()
    {
        await using var h = await Harness.StartAsync(azurite);
        var jobId = Batches.NewJobId();
        var policy = () => new JsonObject { ["subjectKeyField"] = "member_no", ["language"] = "ja" };
        var recipient = Batches.Person(0);
        var stranger = Batches.Person(50);

        // Chunk 1: R gets S's data (nothing in the data or the address says whose it is, so nothing can object).
        var chunk1 = Batches.Mail(Batches.People(0, 3), dataFor: p => p.Index == 0 ? Batches.Person(40) : p, identity: false);
        // Chunk 2: R gets yet another member's data.
        var chunk2 = Batches.Mail(new[] { recipient }.Concat(Batches.People(10, 2)), dataFor: p => p.Index == 0 ? stranger : p, identity: false);

        var r1 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 2, chunk1, policy())));
        var r2 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 2, 2, chunk2, policy())));

        Assert.Equal(InspectionOutcome.Sent, r1.Outcome);
        Assert.Equal(InspectionOutcome.Halted, r2.Outcome);
        Assert.Single(h.MailSends);
        Assert.True(JsonNode.DeepEquals(chunk1, Harness.SentMail(h.MailSends[0])));
        var findings = Assert.Single(await h.Incidents.FindingsAsync(r2.IncidentId!, default));
        Assert.Equal(Core.Detection.Rules.FanInAcrossChunks, Assert.Single(findings.Findings).Rule);
        Assert.DoesNotContain(recipient.Email, StoredJson.Findings(findings.Findings), StringComparison.OrdinalIgnoreCase);

        var exposure = Assert.Single((await h.IncidentService.SnapshotAsync(r2.IncidentId!, default))!.Attribution.Reached);
        Assert.Equal(recipient.Email, exposure.Recipient);
        Assert.Equal("k:" + Core.Text.TextNormalizer.Normalize(Batches.Person(40).MemberNo), exposure.SubjectKey);
        Assert.Equal(1, exposure.Chunk);
    }

    [Fact]
    public async Task Claim_check_batch_of_1000_personalizations_goes_by_blob_and_is_sent_whole()
    {
        await using var h = await Harness.StartAsync(azurite);
        var jobId = Batches.NewJobId();
        var mail = Batches.Mail(Batches.People(0, 1000));

        Assert.True(await h.QueueClient.EnqueueAsync(Batches.Envelope(jobId, 1, 1, mail)));
        var claimChecks = h.Storage.Blobs.GetBlobContainerClient(h.Options.ClaimCheckContainer);
        Assert.Single(await ToListAsync(claimChecks.GetBlobsAsync()));

        var results = await h.Runner(TimeSpan.FromSeconds(60), TimeSpan.Zero).DrainOnceAsync(default);

        Assert.Equal(InspectionOutcome.Sent, Assert.Single(results).Outcome);
        var send = Assert.Single(h.MailSends);
        Assert.True(JsonNode.DeepEquals(mail, Harness.SentMail(send)));
        Assert.Equal(1000, Harness.Body(send)["personalizations"]!.AsArray().Count);
        Assert.Empty(await ToListAsync(claimChecks.GetBlobsAsync()));
        Assert.Equal(0, (await h.QueueClient.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(1000, (await h.Ledger.DeliveriesAsync(jobId, default)).Count);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Claim_check_pointer_to_another_container_is_rejected_and_that_blob_neither_read_nor_deleted()
    {
        await using var h = await Harness.StartAsync(azurite);
        var other = h.Storage.Blobs.GetBlobContainerClient(h.Options.QuarantineContainer);
        await other.GetBlobClient("orders.json").UploadAsync(BinaryData.FromString(Batches.Envelope(Batches.NewJobId(), 1, 1, Batches.Mail(Batches.People(0, 3)))));
        await h.QueueClient.Queue.SendMessageAsync(ClaimCheckPointer.Create(h.Options.ClaimCheckContainer, $"../{h.Options.QuarantineContainer}/orders.json", 100));
        await h.QueueClient.Queue.SendMessageAsync(ClaimCheckPointer.Create(h.Options.QuarantineContainer, "orders.json", 100));
        await h.QueueClient.Queue.SendMessageAsync(ClaimCheckPointer.Create(h.Options.ClaimCheckContainer, "", 100));

        var results = await h.Runner(TimeSpan.FromSeconds(60), TimeSpan.Zero).DrainOnceAsync(default);

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Equal(InspectionOutcome.Rejected, r.Outcome));
        Assert.Empty(h.MailSends);
        Assert.True((await other.GetBlobClient("orders.json").ExistsAsync()).Value);
        Assert.Equal(0, (await h.QueueClient.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(0, (await h.Storage.Queues.GetQueueClient(h.Options.PoisonQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Theory]
    [InlineData("malformed", "line 1, column")]
    [InlineData("wrong-types", "\"personalizations\" must be an array")]
    [InlineData("oversized", "the limit is 2,048 bytes")]
    public async Task Unreadable_message_is_rejected_with_its_reason_and_never_retried(string kind, string expectedReason)
    {
        await using var h = await Harness.StartAsync(azurite, s => s["Pipeline:MaxBodyBytes"] = "2048");
        var text = kind switch
        {
            "malformed" => "{\"personalizations\": [{\"to\": [{\"email\": \"sato.misaki0000@example.jp\"}]}, ",
            "wrong-types" => "{\"personalizations\": \"sato.misaki0000@example.jp\", \"from\": {\"email\": \"ticket@example.jp\"}}",
            _ => Batches.Mail(Batches.People(0, 10)).ToJsonString(Batches.Json),
        };
        Assert.True(kind != "oversized" || System.Text.Encoding.UTF8.GetByteCount(text) > 2048);
        await h.QueueClient.Queue.SendMessageAsync(text);

        var results = await h.Runner(TimeSpan.FromSeconds(60), TimeSpan.Zero).DrainOnceAsync(default);

        var result = Assert.Single(results);
        Assert.Equal(InspectionOutcome.Rejected, result.Outcome);
        var messageId = (await FindSetAsideIdsAsync(h, "rejected/")).Single();
        var reason = JsonNode.Parse((await h.QuarantineBlobAsync($"rejected/{messageId}.reason.json"))!)!;
        Assert.Equal("rejected", reason["verdict"]!.GetValue<string>());
        Assert.Contains(expectedReason, reason["reason"]!.GetValue<string>());
        Assert.Equal(text, await h.QuarantineBlobAsync($"rejected/{messageId}.json"));
        Assert.Empty(h.Server.LogEntries);

        // Removed, not left for a retry: nothing comes back even once its visibility would have expired.
        Assert.Equal(0, (await h.QueueClient.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty(await h.Runner(TimeSpan.FromSeconds(60), TimeSpan.Zero).DrainOnceAsync(default));
        Assert.Equal(0, (await h.Storage.Queues.GetQueueClient(h.Options.PoisonQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Message_whose_send_keeps_failing_is_poisoned_after_host_json_attempts_and_leaves_its_chunk_failed()
    {
        await using var h = await Harness.StartAsync(azurite, s => s["SendGrid:MaxRetries"] = "1");
        h.StubSendGrid(mailSendStatus: 500);
        var jobId = Batches.NewJobId();
        var envelope = Batches.Envelope(jobId, 1, 1, Batches.Mail(Batches.People(200, 4)));
        await h.QueueClient.EnqueueAsync(envelope);
        var runner = h.Runner(TimeSpan.FromSeconds(1), TimeSpan.Zero);
        Assert.Equal(5, runner.MaxDequeueCount); // host.json's extensions.queues.maxDequeueCount

        for (var round = 0; round < 200 && (await FindSetAsideIdsAsync(h, "poisoned/")).Count == 0; round++)
        {
            await runner.DrainOnceAsync(default);
            await Task.Delay(50);
        }

        var messageId = Assert.Single(await FindSetAsideIdsAsync(h, "poisoned/"));
        Assert.Equal(envelope, await h.QuarantineBlobAsync($"poisoned/{messageId}.json"));
        Assert.Equal(0, (await h.QueueClient.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        // Five attempts, each a first try and one retry; SendGrid never accepted anything.
        Assert.Equal(5 * 2, h.MailSends.Count);
        Assert.All(h.Server.LogEntries, e => Assert.Equal(500, (int)e.ResponseMessage.StatusCode!));
        var chunk = (await h.Jobs.GetChunkAsync(jobId, 1, default))!;
        Assert.Equal(ChunkState.Failed, chunk.State);
        Assert.Contains($"poisoned/{messageId}", chunk.Reason);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Local_runner_poisons_after_the_attempts_host_json_allows()
    {
        await using var h = await Harness.StartAsync(azurite, s => s["SendGrid:MaxRetries"] = "0");
        h.StubSendGrid(mailSendStatus: 503);
        await h.QueueClient.EnqueueAsync(Batches.Envelope(Batches.NewJobId(), 1, 1, Batches.Mail(Batches.People(250, 2))));
        var runner = h.Runner(TimeSpan.FromSeconds(1), TimeSpan.Zero, new MisSend.Cli.Hosting.HostSettings(MaxDequeueCount: 2));

        for (var round = 0; round < 200 && (await FindSetAsideIdsAsync(h, "poisoned/")).Count == 0; round++)
        {
            await runner.DrainOnceAsync(default);
            await Task.Delay(50);
        }

        Assert.Single(await FindSetAsideIdsAsync(h, "poisoned/"));
        Assert.Equal(2, h.MailSends.Count);
    }

    [Fact]
    public async Task Rate_limited_429_is_retried_after_the_reset_and_sent_once()
    {
        await using var h = await Harness.StartAsync(azurite);
        h.Server.ResetMappings();
        var reset = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
        h.Server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).InScenario("rate-limit").WillSetStateTo("limited")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("X-RateLimit-Reset", reset)
                .WithBody("{\"errors\":[{\"message\":\"too many requests\"}]}"));
        h.Server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).InScenario("rate-limit").WhenStateIs("limited")
            .RespondWith(Response.Create().WithStatusCode(202));
        var jobId = Batches.NewJobId();
        var mail = Batches.Mail(Batches.People(300, 5));

        await h.RunFunctionAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 1, mail)));

        var sends = h.MailSends;
        Assert.Equal(2, sends.Count);
        Assert.Equal([429, 202], sends.Select(e => (int)e.ResponseMessage.StatusCode!));
        Assert.All(sends, e => Assert.True(JsonNode.DeepEquals(mail, Harness.SentMail(e))));
        Assert.Equal(ChunkState.Sent, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);
        Assert.Contains(h.Logs.Messages, m => m.Contains("SendGrid answered 429"));
    }

    [Fact]
    public async Task Server_errors_exhausting_retries_leave_the_chunk_not_sent_and_the_redelivery_sends_exactly_once()
    {
        await using var h = await Harness.StartAsync(azurite, s => s["SendGrid:MaxRetries"] = "2");
        h.StubSendGrid(mailSendStatus: 500);
        var jobId = Batches.NewJobId();
        var message = await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 1, Batches.Mail(Batches.People(400, 5))));

        var error = await Assert.ThrowsAsync<SendNotAcceptedException>(() => h.RunFunctionAsync(message));
        Assert.Equal(500, error.Status);
        Assert.Equal(3, h.MailSends.Count);
        Assert.Equal(ChunkState.NotSent, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);

        h.StubSendGrid();
        var result = await h.HandleAsync(Harness.Redelivery(message));

        Assert.Equal(InspectionOutcome.Sent, result.Outcome);
        Assert.Equal(4, h.MailSends.Count);
        Assert.Single(h.MailSends, e => e.ResponseMessage.StatusCode is 202);
        Assert.Equal(ChunkState.Sent, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);
        Assert.Equal(5, (await h.Ledger.DeliveriesAsync(jobId, default)).Count);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Connection_dropped_after_SendGrid_received_the_chunk_is_unknown_not_retried_and_reconciled_as_sent_by_the_timer()
    {
        var clock = new ManualClock();
        await using var h = await Harness.StartAsync(azurite, s =>
        {
            s["Reliability:RecheckDelay"] = "00:00:01";
            s["SendGrid:RequestTimeout"] = "00:00:01";
        }, clock);
        h.Server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).AtPriority(-1)
            .RespondWith(Response.Create().WithStatusCode(202).WithDelay(TimeSpan.FromSeconds(2)));
        var jobId = Batches.NewJobId();
        var message = await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 1, Batches.Mail(Batches.People(500, 100))));

        var result = await h.HandleAsync(message);
        await h.StandIn.WaitForAsync("/v3/mail/send", 1);

        Assert.Equal(InspectionOutcome.Unknown, result.Outcome);
        Assert.Single(h.MailSends); // the request reached SendGrid once and was not retried
        Assert.Equal(ChunkState.Unknown, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);

        // The stand-in's Email Activity lists what it received: SendGrid did take it (only the answer was lost).
        clock.Advance(TimeSpan.FromSeconds(2));
        await h.TickAsync();

        Assert.Equal(ChunkState.Sent, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);
        Assert.Single(h.MailSends);
        var query = Uri.UnescapeDataString(Uri.UnescapeDataString(Assert.Single(h.Requests("/v3/messages")).RequestMessage.Url));
        Assert.Contains($"unique_args['{OutgoingMail.AttemptArg}']", query);
        Assert.Equal(InspectionOutcome.Duplicate, (await h.HandleAsync(Harness.Redelivery(message))).Outcome);
    }

    [Fact]
    public async Task Hold_window_schedules_with_the_jobs_batch_id_and_a_later_halt_cancels_it_once()
    {
        await using var h = await Harness.StartAsync(azurite);
        var jobId = Batches.NewJobId();
        var policy = () => new JsonObject { ["holdMinutes"] = 30, ["language"] = "ja" };
        var before = DateTimeOffset.UtcNow;

        var r1 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 1, 3, Batches.Mail(Batches.People(600, 5)), policy())));
        var r2 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(jobId, 2, 3, Batches.Mail(Batches.People(610, 5)), policy())));

        Assert.Equal([InspectionOutcome.Sent, InspectionOutcome.Sent], [r1.Outcome, r2.Outcome]);
        Assert.Single(h.Requests("/v3/mail/batch")); // one batch id for the job, not one per chunk
        Assert.All(h.MailSends, e => Assert.Equal(Harness.BatchId, Harness.Body(e)["batch_id"]!.GetValue<string>()));
        var sendAt = DateTimeOffset.FromUnixTimeSeconds(Harness.Body(h.MailSends[0])["send_at"]!.GetValue<long>());
        Assert.InRange(sendAt, before.AddMinutes(29), DateTimeOffset.UtcNow.AddMinutes(31));
        Assert.Empty(h.Requests("/v3/user/scheduled_sends"));

        var r3 = await h.HandleAsync(await h.EnqueueAndReceiveAsync(
            Batches.Envelope(jobId, 3, 3, Batches.LeakByBcc(Batches.Mail(Batches.People(605, 5))), policy())));

        Assert.Equal(InspectionOutcome.Halted, r3.Outcome);
        var cancel = Assert.Single(h.Requests("/v3/user/scheduled_sends"));
        Assert.Equal(Harness.BatchId, Harness.Body(cancel)["batch_id"]!.GetValue<string>());
        Assert.Equal("cancel", Harness.Body(cancel)["status"]!.GetValue<string>());
        Assert.Equal("Bearer " + Harness.ApiKey, Harness.Header(cancel, "Authorization"));
        Assert.Equal(2, h.MailSends.Count);
        Assert.Equal(ChunkState.Cancelled, (await h.Jobs.GetChunkAsync(jobId, 1, default))!.State);
        Assert.Equal(ChunkState.Cancelled, (await h.Jobs.GetChunkAsync(jobId, 2, default))!.State);
        Assert.Equal(CancelState.Done, (await h.Jobs.GetJobAsync(jobId, default))!.Cancel);
    }

    [Fact]
    public async Task Parallel_chunks_with_one_leaky_never_send_a_chunk_after_it_is_contained_and_open_one_incident()
    {
        await using var h = await Harness.StartAsync(azurite);
        const int chunks = 8;
        const int leakyChunk = 3;
        var jobId = Batches.NewJobId();
        var mails = Enumerable.Range(1, chunks).ToDictionary(c => c, c =>
        {
            var mail = Batches.Mail(Batches.People(700 + c * 4, 4));
            return c == leakyChunk ? Batches.LeakByBcc(mail) : mail;
        });
        foreach (var (c, mail) in mails)
        {
            await h.QueueClient.EnqueueAsync(Batches.Envelope(jobId, c, chunks, mail));
        }

        var messages = (await h.QueueClient.Queue.ReceiveMessagesAsync(chunks, TimeSpan.FromSeconds(60))).Value;
        Assert.Equal(chunks, messages.Length);
        var results = await Task.WhenAll(messages.Select(m => Task.Run(() => h.HandleAsync(m))));

        Assert.Single(results, r => r.Outcome == InspectionOutcome.Halted);
        Assert.Equal(leakyChunk, results.Single(r => r.Outcome == InspectionOutcome.Halted).Chunk);
        var sentBodies = h.MailSends.Select(Harness.SentMail).ToList();
        foreach (var (c, mail) in mails)
        {
            var state = (await h.Jobs.GetChunkAsync(jobId, c, default))!.State;
            var outcome = results.Single(r => r.Chunk == c).Outcome;
            var requested = sentBodies.Count(b => JsonNode.DeepEquals(mail, b));
            if (c == leakyChunk || outcome == InspectionOutcome.Contained)
            {
                Assert.Equal(ChunkState.Quarantined, state);
                Assert.Equal(0, requested);
                Assert.NotNull(await h.QuarantineBlobAsync($"{jobId}/chunk-{c:D5}.json"));
            }
            else
            {
                // It passed every halt check before its send: it legitimately went out, once.
                Assert.Equal(InspectionOutcome.Sent, outcome);
                Assert.Equal(ChunkState.Sent, state);
                Assert.Equal(1, requested);
            }
        }

        Assert.Equal(results.Count(r => r.Outcome == InspectionOutcome.Sent), h.MailSends.Count);
        var job = await h.Jobs.GetJobAsync(jobId, default);
        Assert.Equal(JobState.Halted, job!.State);
        var incidentsTable = h.Storage.Tables.GetTableClient(h.Options.IncidentsTable);
        var incidents = await ToListAsync(incidentsTable.QueryAsync<global::Azure.Data.Tables.TableEntity>(
            global::Azure.Data.Tables.TableClient.CreateQueryFilter($"RowKey eq {"incident"} and JobId eq {jobId}")));
        var incident = Assert.Single(incidents);
        Assert.Equal(job.IncidentId, incident.PartitionKey);
        Assert.All(results.Where(r => r.Outcome is InspectionOutcome.Halted or InspectionOutcome.Contained), r => Assert.Equal(job.IncidentId, r.IncidentId));
    }

    [Fact]
    public async Task Logs_of_a_clean_and_a_halted_run_carry_no_recipient_address_or_data_value()
    {
        await using var h = await Harness.StartAsync(azurite);
        var cleanPeople = Batches.People(800, 6).ToList();
        var leakyPeople = Batches.People(806, 6).ToList();
        var clean = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(Batches.NewJobId(), 1, 1, Batches.Mail(cleanPeople))));
        var halted = await h.HandleAsync(await h.EnqueueAndReceiveAsync(Batches.Envelope(Batches.NewJobId(), 1, 1, Batches.LeakByBcc(Batches.Mail(leakyPeople)))));
        Assert.Equal(InspectionOutcome.Sent, clean.Outcome);
        Assert.Equal(InspectionOutcome.Halted, halted.Outcome);

        var logs = h.Logs.Messages.ToList();
        Assert.Contains(logs, m => m.Contains("HALT"));
        Assert.Contains(logs, m => m.Contains("pass, sent"));
        var secrets = cleanPeople.Concat(leakyPeople)
            .SelectMany(p => new[] { p.Email, p.Email.Split('@')[0], p.Name, p.Name.Replace(" ", ""), p.MemberNo, p.Address, p.Address.Split(' ')[0] })
            .Append(Harness.ApiKey)
            .Distinct();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs, m => m.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
        where T : notnull
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    private static async Task<List<string>> FindSetAsideIdsAsync(Harness h, string folder)
    {
        var container = h.Storage.Blobs.GetBlobContainerClient(h.Options.QuarantineContainer);
        var names = await ToListAsync(container.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, folder, default));
        return names.Select(b => b.Name).Where(n => n.EndsWith(".reason.json", StringComparison.Ordinal))
            .Select(n => n[folder.Length..^".reason.json".Length]).ToList();
    }
}
