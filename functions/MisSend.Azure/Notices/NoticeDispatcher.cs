using System.Text.Json.Nodes;
using MisSend.Azure.Configuration;
using MisSend.Azure.Pipeline;
using MisSend.Azure.Sending;
using MisSend.Azure.Storage;
using MisSend.Core.Detection;
using MisSend.Core.Notices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MisSend.Azure.Notices;

public sealed record DispatchSummary(int Incidents, int Sent, int Pending, int Unconfirmed);

/// <summary>
/// The DispatchNotices work, run every minute. For each open incident it notifies every person the exposures name,
/// exactly once: each notice row is claimed in Table storage (insert-if-absent or ETag update) with a wave id and a
/// lease BEFORE the SendGrid call, and marked sent right after. A wave left "sending" past its lease (the worker died
/// between SendGrid's acceptance and the record) is reconciled on the next tick by asking SendGrid whether a mail with
/// that wave id was accepted: sent if yes, re-sent if no, left for the operator if it cannot be known.
/// </summary>
public sealed class NoticeDispatcher(
    IncidentStore incidents,
    NoticeStore notices,
    IMailSender sender,
    NoticeRenderer renderer,
    IOptions<NoticeOptions> noticeOptions,
    IOptions<SendGridOptions> sendGridOptions,
    TimeProvider time,
    ILogger<NoticeDispatcher> logger,
    PipelineFaults? faults = null)
{
    public const string WaveArg = "notice_wave";
    public const string Apology = "apology";
    public const string DeleteRequest = "delete-request";

    private readonly NoticeOptions _options = noticeOptions.Value;

    public async Task<DispatchSummary> DispatchAsync(CancellationToken ct)
    {
        var open = await incidents.OpenIncidentsAsync(ct);
        var (sent, pending, unconfirmed) = (0, 0, 0);
        foreach (var incident in open)
        {
            var r = await DispatchIncidentAsync(incident, ct);
            (sent, pending, unconfirmed) = (sent + r.Sent, pending + r.Pending, unconfirmed + r.Unconfirmed);
        }

        return new DispatchSummary(open.Count, sent, pending, unconfirmed);
    }

    private async Task<(int Sent, int Pending, int Unconfirmed)> DispatchIncidentAsync(IncidentEntity incident, CancellationToken ct)
    {
        var id = incident.PartitionKey;
        var exposures = await incidents.ExposuresAsync(id, ct);
        if (exposures.Count == 0)
        {
            // Contained before anything left: nobody to notify. A later exposure reopens it; a lost race is harmless.
            incident.Status = "contained";
            await incidents.TryUpdateAsync(incident, ct);
            return (0, 0, 0);
        }

        var now = time.GetUtcNow();
        var existing = await notices.ListAsync(id, ct);
        await ReconcileAsync(existing, now, ct);

        var known = existing.Select(n => n.RowKey).ToHashSet();
        var fresh = Plan(incident, exposures).Where(n => !known.Contains(n.RowKey)).ToList();
        foreach (var n in fresh)
        {
            n.PartitionKey = id;
        }

        var mine = await notices.InsertClaimedAsync(ClaimForWaves(fresh, now), ct);

        // Waves SendGrid refused earlier go again, claimed by whoever wins the ETag race.
        foreach (var n in ClaimForWaves(existing.Where(n => n.State == NoticeStates.Pending).ToList(), now))
        {
            if (await notices.TryUpdateAsync(n, ct))
            {
                mine.Add(n);
            }
        }

        var findings = await incidents.FindingsAsync(id, ct);
        var facts = Facts(incident, findings.SelectMany(f => System.Text.Json.JsonSerializer.Deserialize<List<Finding>>(f.FindingsJson, InspectBatchHandler.JsonOptions) ?? []).Select(f => f.Rule));
        var firstSentAt = incident.FirstSentAt ?? exposures.Min(e => e.SentAt);

        // An apology says the delete requests were made only when every one of them had been sent before this tick.
        var deleteRequests = existing.Count(n => n.Kind == DeleteRequest && n.State == NoticeStates.Sent) == exposures.Select(e => e.Recipient).Distinct().Count()
            ? StepState.Done
            : StepState.Planned;
        var sent = 0;
        foreach (var wave in mine.GroupBy(n => n.WaveId))
        {
            sent += await SendWaveAsync(facts, wave.Select(n => (n, Target(facts, n, firstSentAt, deleteRequests))).ToList(), ct);
        }

        var all = await notices.ListAsync(id, ct);
        var pending = all.Count(n => n.State is NoticeStates.Pending or NoticeStates.Sending);
        var unconfirmed = all.Count(n => n.State == NoticeStates.Unconfirmed);
        if (pending == 0)
        {
            var current = await incidents.GetAsync(id, ct);
            if (current is not null && current.Status == "open")
            {
                current.Status = unconfirmed == 0 ? "notified" : "notified-with-unconfirmed";
                // Another dispatcher may close it at the same moment; either write says the same.
                await incidents.TryUpdateAsync(current, ct);
            }
        }

        logger.LogInformation("Incident {IncidentId}: {Sent} notices sent this tick, {Pending} pending, {Unconfirmed} unconfirmed", id, sent, pending, unconfirmed);
        return (sent, pending, unconfirmed);
    }

    private async Task<int> SendWaveAsync(IncidentFacts facts, List<(NoticeEntity Row, NoticeTarget Target)> targets, CancellationToken ct)
    {
        var wave = targets.Select(t => t.Row).ToList();
        var first = wave[0];
        var personalizations = new JsonArray();
        foreach (var (n, target) in targets)
        {
            var rendered = renderer.Render(facts, target);
            personalizations.Add(new JsonObject
            {
                ["to"] = new JsonArray(new JsonObject { ["email"] = n.Email }),
                ["subject"] = rendered.Subject,
                ["substitutions"] = new JsonObject { ["-notice-text-"] = rendered.Text, ["-notice-html-"] = rendered.Html },
            });
        }

        var sg = sendGridOptions.Value;
        var body = new JsonObject
        {
            ["from"] = new JsonObject { ["email"] = sg.FromEmail ?? facts.ContactEmail ?? _options.ContactEmail, ["name"] = sg.FromName ?? _options.Organization },
            ["reply_to"] = new JsonObject { ["email"] = facts.ContactEmail ?? _options.ContactEmail },
            ["personalizations"] = personalizations,
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "text/plain", ["value"] = "-notice-text-" },
                new JsonObject { ["type"] = "text/html", ["value"] = "-notice-html-" }),
            ["custom_args"] = new JsonObject { [WaveArg] = first.WaveId, ["incident"] = facts.IncidentId },
            ["categories"] = new JsonArray("mis-send-notice", first.Kind),
            // Click tracking would rewrite the signed confirmation link.
            ["tracking_settings"] = new JsonObject { ["click_tracking"] = new JsonObject { ["enable"] = false, ["enable_text"] = false } },
        };

        try
        {
            await sender.SendAsync(body.ToJsonString(), ct);
        }
        catch (MailSendException e)
        {
            foreach (var n in wave)
            {
                n.State = NoticeStates.Pending;
                n.Attempts++;
                await notices.TryUpdateAsync(n, ct);
            }

            logger.LogWarning("Incident {IncidentId}: a wave of {Count} {Kind} notices was not accepted ({Status}); retried next tick", facts.IncidentId, wave.Count, first.Kind, e.Status);
            return 0;
        }

        if (faults?.AfterNoticeWaveAccepted is { } crash)
        {
            await crash(ct);
        }

        var sentAt = time.GetUtcNow();
        foreach (var n in wave)
        {
            n.State = NoticeStates.Sent;
            n.SentAt = sentAt;
            n.Attempts++;
        }

        await notices.CompleteAsync(wave, ct);
        return wave.Count;
    }

    /// <summary>A wave still "sending" after its lease: ask SendGrid whether it went out.</summary>
    private async Task ReconcileAsync(List<NoticeEntity> existing, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var wave in existing.Where(n => n.State == NoticeStates.Sending && n.LeaseUntil < now).GroupBy(n => n.WaveId))
        {
            var accepted = await sender.WasAcceptedAsync(WaveArg, wave.Key, ct);
            foreach (var n in wave)
            {
                n.State = accepted switch { true => NoticeStates.Sent, false => NoticeStates.Pending, null => NoticeStates.Unconfirmed };
                n.SentAt = accepted == true ? n.LeaseUntil - _options.Lease : null;
                await notices.TryUpdateAsync(n, ct);
            }

            logger.LogWarning("Notice wave {WaveId}: reconciled {Count} stale notices as {State}", wave.Key, wave.Count(), wave.First().State);
        }
    }

    /// <summary>One apology per data subject, one delete request per wrong recipient, aggregated over the exposures.</summary>
    private IEnumerable<NoticeEntity> Plan(IncidentEntity incident, List<ExposureEntity> exposures)
    {
        foreach (var subject in exposures.Where(e => e.SubjectEmail is not null).GroupBy(e => e.SubjectEmail!))
        {
            yield return new NoticeEntity
            {
                RowKey = NoticeStore.RowKey(Apology, subject.Key),
                Kind = Apology,
                Email = subject.Key,
                Language = LanguageFor(incident, subject.Key),
                Categories = string.Join(',', subject.SelectMany(e => e.Categories.Split(',', StringSplitOptions.RemoveEmptyEntries)).Distinct().Order()),
                RecipientCount = subject.Select(e => e.Recipient).Where(r => r != subject.Key).Distinct().Count(),
            };
        }

        foreach (var recipient in exposures.GroupBy(e => e.Recipient))
        {
            yield return new NoticeEntity
            {
                RowKey = NoticeStore.RowKey(DeleteRequest, recipient.Key),
                Kind = DeleteRequest,
                Email = recipient.Key,
                Language = LanguageFor(incident, recipient.Key),
                MailCount = recipient.Select(e => (e.SubjectKey, e.Chunk)).Distinct().Count(),
            };
        }
    }

    /// <summary>Marks rows as being sent by this dispatcher, in waves of one kind and language, under a lease.</summary>
    private List<NoticeEntity> ClaimForWaves(List<NoticeEntity> rows, DateTimeOffset now)
    {
        foreach (var group in rows.GroupBy(n => (n.Kind, n.Language)))
        {
            foreach (var wave in group.Chunk(_options.WaveSize))
            {
                var waveId = Guid.NewGuid().ToString("N");
                foreach (var n in wave)
                {
                    n.WaveId = waveId;
                    n.State = NoticeStates.Sending;
                    n.LeaseUntil = now + _options.Lease;
                }
            }
        }

        return rows;
    }

    /// <summary>Adapter to the Core notice model: names and mail subjects are not recorded here, so the notices go without them.</summary>
    private NoticeTarget Target(IncidentFacts facts, NoticeEntity n, DateTimeOffset firstSentAt, StepState deleteRequests)
    {
        var categories = n.Categories.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(DataCategoryNames.FromId).OfType<DataCategory>().ToArray();
        if (n.Kind == Apology)
        {
            return new ApologyTarget(n.Language, null, categories, n.RecipientCount, firstSentAt, deleteRequests);
        }

        var expires = time.GetUtcNow() + _options.ConfirmLinkValidity;
        var token = ConfirmationToken.Create(new(facts.IncidentId, StorageKeys.Hash(n.Email), expires), _options.SigningKeyBytes());
        return new DeleteRequestTarget(n.Language, null, null, firstSentAt, n.MailCount, token, expires);
    }

    private static IncidentFacts Facts(IncidentEntity incident, IEnumerable<string> causeRules) =>
        new(incident.PartitionKey, causeRules.Distinct().ToArray(), null,
            incident.HaltedAt is null ? StepState.NotApplicable : StepState.Done, incident.ContactEmail);

    /// <summary>The job's policy decides; without one, Japanese for .jp addresses and English otherwise.</summary>
    private static string LanguageFor(IncidentEntity incident, string email) =>
        incident.Language ?? (email.EndsWith(".jp", StringComparison.OrdinalIgnoreCase) ? "ja" : "en");
}
