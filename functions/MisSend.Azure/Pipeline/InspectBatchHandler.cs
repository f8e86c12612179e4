using System.Text.Json;
using MisSend.Azure.Configuration;
using MisSend.Azure.Queueing;
using MisSend.Azure.Sending;
using MisSend.Azure.Storage;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MisSend.Azure.Pipeline;

/// <summary>
/// The InspectBatch work: resolve the message, scan it, then send and record, or halt and contain the whole job.
/// State lives only in storage, so any number of instances may run it; the queue may deliver a message twice.
/// </summary>
public sealed class InspectBatchHandler(
    BlobStore blobs,
    JobStore jobs,
    LedgerStore ledger,
    IncidentStore incidents,
    IMailSender sender,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<InspectBatchHandler> logger,
    PipelineFaults? faults = null)
{
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public async Task<InspectionResult> HandleAsync(string message, string messageId, CancellationToken ct)
    {
        var claimCheck = ClaimCheck.BlobName(message);
        OutboundBatch batch;
        try
        {
            var body = claimCheck is null
                ? System.Text.Encoding.UTF8.GetBytes(message)
                : await blobs.DownloadClaimCheckAsync(claimCheck, options.Value.MaxBodyBytes, ct);
            batch = BatchParser.Parse(body, options.Value.MaxBodyBytes);
        }
        catch (BatchFormatException e)
        {
            return await RejectAsync(message, messageId, e.ToString(), ct);
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            return await RejectAsync(message, messageId, "claim-check blob not found", ct);
        }

        var jobId = batch.JobId ?? StorageKeys.JobIdForBareMessage(messageId);
        var result = await InspectAsync(batch, jobId, ct);
        if (claimCheck is not null)
        {
            await blobs.DeleteClaimCheckAsync(claimCheck, ct);
        }

        return result;
    }

    private async Task<InspectionResult> InspectAsync(OutboundBatch batch, string jobId, CancellationToken ct)
    {
        var chunk = batch.Chunk;
        var previous = await jobs.GetChunkAsync(jobId, chunk, ct);
        if (previous is not null)
        {
            return await RedeliveredAsync(batch, jobId, previous, ct);
        }

        var job = await jobs.GetJobAsync(jobId, ct);
        if (job?.State == JobStates.Halted)
        {
            return await ContainAsync(batch, jobId, job.IncidentId!, "the job was halted by another chunk", ct);
        }

        var verdict = LeakDetector.Scan(batch);
        if (verdict.Halt)
        {
            return await HaltAsync(batch, jobId, verdict.Findings, exposures: [], ct);
        }

        var conflicts = await ledger.ClaimRecipientsAsync(jobId, chunk, verdict.Deliveries, ct);
        if (conflicts.Count > 0)
        {
            return await HaltAcrossChunksAsync(batch, jobId, verdict, conflicts, ct);
        }

        return await SendAsync(batch, jobId, verdict, ct);
    }

    private async Task<InspectionResult> SendAsync(OutboundBatch batch, string jobId, Verdict verdict, CancellationToken ct)
    {
        var record = new ChunkEntity { Personalizations = verdict.Personalizations, Recipients = verdict.Recipients };
        var mailJson = batch.MailJson;
        if (batch.Policy.HoldMinutes > 0)
        {
            record.BatchId = await sender.CreateBatchIdAsync(ct);
            record.SendAt = time.GetUtcNow().AddMinutes(batch.Policy.HoldMinutes);
            mailJson = MailJson.WithSchedule(mailJson, record.SendAt.Value.ToUnixTimeSeconds(), record.BatchId);
        }

        var claimed = await jobs.TryBeginSendAsync(jobId, batch.Chunk, record, ct);
        if (claimed is not null)
        {
            return await RedeliveredAsync(batch, jobId, claimed, ct);
        }

        // A halt that landed between our check and the claim must still win.
        if (await jobs.GetJobAsync(jobId, ct) is { State: JobStates.Halted } halted)
        {
            await jobs.ReleaseAsync(record, ct);
            return await ContainAsync(batch, jobId, halted.IncidentId!, "the job was halted by another chunk", ct);
        }

        try
        {
            await sender.SendAsync(mailJson, ct);
        }
        catch (MailSendException e)
        {
            // Not accepted, so a later attempt cannot double-send: release the claim and let the queue retry.
            await jobs.ReleaseAsync(record, ct);
            logger.LogWarning("Job {JobId} chunk {Chunk}: SendGrid did not accept the chunk ({Status}); the queue will retry", jobId, batch.Chunk, e.Status);
            throw;
        }

        if (faults?.AfterSendBeforeRecord is { } crash)
        {
            await crash(ct);
        }

        var sentAt = time.GetUtcNow();
        await ledger.RecordDeliveriesAsync(jobId, batch.Chunk, verdict.Deliveries, sentAt, ct);
        record.State = ChunkStates.Sent;
        record.SentAt = sentAt;
        await jobs.SaveChunkAsync(record, ct);
        await jobs.MarkJobSentAsync(jobId, batch.ChunkCount, sentAt, ct);
        logger.LogInformation("Job {JobId} chunk {Chunk}/{ChunkCount}: pass, sent {Personalizations} personalizations to {Recipients} recipients",
            jobId, batch.Chunk, batch.ChunkCount, verdict.Personalizations, verdict.Recipients);

        // The job may have been halted while we sent: with a hold window, our chunk can still be cancelled.
        var after = await jobs.GetJobAsync(jobId, ct);
        if (after?.State == JobStates.Halted)
        {
            await CancelScheduledAsync(jobId, ct);
        }

        return new InspectionResult(InspectionOutcome.Sent, jobId, batch.Chunk);
    }

    private async Task<InspectionResult> RedeliveredAsync(OutboundBatch batch, string jobId, ChunkEntity previous, CancellationToken ct)
    {
        if (previous.State != ChunkStates.Sending)
        {
            logger.LogInformation("Job {JobId} chunk {Chunk}: duplicate delivery ignored (already {State})", jobId, batch.Chunk, previous.State);
            return new InspectionResult(InspectionOutcome.Duplicate, jobId, batch.Chunk);
        }

        // The previous attempt died between the send and the record. SendGrid may have accepted the mail, so sending
        // again could deliver it twice: record it as sent-unconfirmed (conservatively in the ledger too) for the operator.
        var verdict = LeakDetector.Scan(batch);
        var at = time.GetUtcNow();
        await ledger.RecordDeliveriesAsync(jobId, batch.Chunk, verdict.Deliveries, at, ct);
        previous.State = ChunkStates.Unconfirmed;
        previous.SentAt = at;
        previous.Reason = "the previous attempt stopped between the SendGrid call and its record; not re-sent";
        await jobs.SaveChunkAsync(previous, ct);
        await jobs.MarkJobSentAsync(jobId, batch.ChunkCount, at, ct);
        logger.LogWarning("Job {JobId} chunk {Chunk}: found mid-send after a restart; recorded as unconfirmed, not re-sent", jobId, batch.Chunk);
        return new InspectionResult(InspectionOutcome.Unconfirmed, jobId, batch.Chunk, Reason: previous.Reason);
    }

    private async Task<InspectionResult> HaltAcrossChunksAsync(OutboundBatch batch, string jobId, Verdict verdict, List<ClaimConflict> conflicts, CancellationToken ct)
    {
        var findings = conflicts.Select(c =>
        {
            var delivery = verdict.Deliveries.First(d => d.Recipient == c.Recipient);
            return new Finding(Rules.FanInAcrossChunks, delivery.Personalization, delivery.Categories, 1,
                $"{MisSend.Core.Text.Mask.Email(c.Recipient)} already received another person's data in chunk {c.EarlierChunk} of this job");
        }).ToList();

        // Chunks already sent become exposures: the earlier mail to that recipient carried someone else's data,
        // unless the ledger confirmed the recipient as its owner.
        var exposures = new List<ExposureEntity>();
        foreach (var c in conflicts)
        {
            foreach (var earlier in await ledger.DeliveriesToAsync(jobId, c.Recipient, ct))
            {
                if (!earlier.OwnerConfirmed && earlier.SubjectKey != c.NewSubjectKey)
                {
                    // The earlier chunk only assumed this recipient owned the data, wrongly: the subject's real address
                    // is where this chunk confirms them, if it does; it is never the recipient's.
                    earlier.SubjectEmail = verdict.Deliveries.FirstOrDefault(d => d.SubjectKey == earlier.SubjectKey && d.OwnerConfirmed)?.Recipient
                        ?? (earlier.SubjectEmail == earlier.Recipient ? null : earlier.SubjectEmail);
                    exposures.Add(ToExposure(earlier));
                }
            }
        }

        return await HaltAsync(batch, jobId, findings, exposures, ct);
    }

    private async Task<InspectionResult> HaltAsync(OutboundBatch batch, string jobId, IReadOnlyList<Finding> findings, List<ExposureEntity> exposures, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var job = await jobs.HaltAsync(jobId, batch.ChunkCount, StorageKeys.IncidentFor(jobId), now, ct);
        var incident = await incidents.OpenAsync(new IncidentEntity
        {
            PartitionKey = job.IncidentId!,
            JobId = jobId,
            Source = "detector",
            Reason = string.Join(", ", findings.Select(f => f.Rule).Distinct()),
            Language = batch.Policy.Language,
            ContactEmail = batch.Policy.ContactEmail,
            OpenedAt = now,
            HaltedAt = now,
            FirstSentAt = job.FirstSentAt,
        }, ct);

        // Earlier chunks of this job that went out with a misdirected delivery are exposures too.
        foreach (var sent in await ledger.DeliveriesAsync(jobId, ct))
        {
            if (sent.Misdirected)
            {
                exposures.Add(ToExposure(sent));
            }
        }

        var reason = JsonSerializer.Serialize(new { verdict = "halt", incidentId = incident.PartitionKey, findings }, JsonOptions);
        var blob = await blobs.QuarantineAsync($"{jobId}/{StorageKeys.Chunk(batch.Chunk)}", batch.MailJson, reason, ct);
        await incidents.AddFindingsAsync(incident.PartitionKey, new IncidentFindingsEntity
        {
            Chunk = batch.Chunk,
            FindingsJson = JsonSerializer.Serialize(findings, JsonOptions),
            QuarantineBlob = blob,
            DetectedAt = now,
        }, ct);
        if (exposures.Count > 0)
        {
            await incidents.AddExposuresAsync(incident.PartitionKey, exposures, ct);
        }

        await jobs.SaveChunkAsync(new ChunkEntity
        {
            PartitionKey = jobId,
            RowKey = StorageKeys.Chunk(batch.Chunk),
            State = ChunkStates.Quarantined,
            QuarantineBlob = blob,
            Reason = $"halted: {incident.Reason}",
        }, ct);
        await CancelScheduledAsync(jobId, ct);
        logger.LogWarning("Job {JobId} chunk {Chunk}/{ChunkCount}: HALT ({Rules}); incident {IncidentId}, {Exposures} exposures from chunks already sent",
            jobId, batch.Chunk, batch.ChunkCount, incident.Reason, incident.PartitionKey, exposures.Count);
        return new InspectionResult(InspectionOutcome.Halted, jobId, batch.Chunk, incident.PartitionKey);
    }

    private async Task<InspectionResult> ContainAsync(OutboundBatch batch, string jobId, string incidentId, string reason, CancellationToken ct)
    {
        var reasonJson = JsonSerializer.Serialize(new { verdict = "contained", incidentId, reason }, JsonOptions);
        var blob = await blobs.QuarantineAsync($"{jobId}/{StorageKeys.Chunk(batch.Chunk)}", batch.MailJson, reasonJson, ct);
        await jobs.SaveChunkAsync(new ChunkEntity
        {
            PartitionKey = jobId,
            RowKey = StorageKeys.Chunk(batch.Chunk),
            State = ChunkStates.Quarantined,
            QuarantineBlob = blob,
            Reason = reason,
        }, ct);
        logger.LogWarning("Job {JobId} chunk {Chunk}/{ChunkCount}: quarantined unsent, {Reason} (incident {IncidentId})",
            jobId, batch.Chunk, batch.ChunkCount, reason, incidentId);
        return new InspectionResult(InspectionOutcome.Contained, jobId, batch.Chunk, incidentId, reason);
    }

    private async Task<InspectionResult> RejectAsync(string message, string messageId, string reason, CancellationToken ct)
    {
        var reasonJson = JsonSerializer.Serialize(new { verdict = "rejected", messageId, reason }, JsonOptions);
        await blobs.QuarantineAsync($"rejected/{messageId}", message, reasonJson, ct);
        logger.LogError("Message {MessageId} rejected and quarantined: {Reason}", messageId, reason);
        return new InspectionResult(InspectionOutcome.Rejected, "", 0, Reason: reason);
    }

    /// <summary>Containment for chunks SendGrid already accepted with a hold window: cancel their scheduled send.</summary>
    private async Task CancelScheduledAsync(string jobId, CancellationToken ct)
    {
        foreach (var chunk in await jobs.ListChunksAsync(jobId, ct))
        {
            if (chunk.State != ChunkStates.Sent || chunk.BatchId is null || chunk.SendAt is null)
            {
                continue;
            }

            // SendGrid only honours a cancel made more than 10 minutes before send_at.
            if (chunk.SendAt.Value - time.GetUtcNow() <= TimeSpan.FromMinutes(10))
            {
                logger.LogWarning("Job {JobId} {Chunk}: too close to send_at to cancel; it stays an exposure", jobId, chunk.RowKey);
                continue;
            }

            await sender.CancelScheduledAsync(chunk.BatchId, ct);
            chunk.State = ChunkStates.Cancelled;
            await jobs.SaveChunkAsync(chunk, ct);
            logger.LogInformation("Job {JobId} {Chunk}: scheduled send cancelled", jobId, chunk.RowKey);
        }
    }

    internal static ExposureEntity ToExposure(DeliveryEntity d) => new()
    {
        Recipient = d.Recipient,
        SubjectKey = d.SubjectKey,
        SubjectEmail = d.SubjectEmail,
        Categories = d.Categories,
        Chunk = d.Chunk,
        SentAt = d.SentAt,
    };
}

/// <summary>Fault injection for tests: the crash between SendGrid's acceptance and our record.</summary>
public sealed class PipelineFaults
{
    public Func<CancellationToken, Task>? AfterSendBeforeRecord { get; set; }

    /// <summary>Runs after SendGrid accepted a notice wave and before its rows are marked sent.</summary>
    public Func<CancellationToken, Task>? AfterNoticeWaveAccepted { get; set; }
}
