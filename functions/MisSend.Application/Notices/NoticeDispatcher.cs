using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.Core;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Reports;

namespace MisSend.Application.Notices;

public sealed record DispatchSummary(int Incidents, int Sent, int Pending, int Unconfirmed, int Failed);

/// <summary>
/// The DispatchNotices work, run every minute. For each open incident it tells every person its reached exposures
/// name, exactly once: each notice row is claimed (insert-if-absent or conditional update) with a wave id and a
/// lease, and each wave is recorded, BEFORE the SendGrid call. A wave whose answer was lost is never sent again on a
/// guess: Email Activity is asked (with back-off, and allowing for its indexing lag) until it says sent or, long
/// after the attempt, not sent. A wave SendGrid refuses for good is marked failed with the reason.
/// </summary>
public sealed class NoticeDispatcher(
    IIncidentStore incidents,
    INoticeStore notices,
    IMailSender mail,
    IncidentReader reader,
    IncidentRecorder recorder,
    NoticeContent content,
    NoticeRenderer renderer,
    IOptions<NoticeOptions> noticeOptions,
    IOptions<NoticeSenderOptions> sender,
    IOptions<ReliabilityOptions> reliability,
    TimeProvider time,
    ILogger<NoticeDispatcher> logger)
{
    private readonly NoticeOptions _options = noticeOptions.Value;

    public async Task<DispatchSummary> DispatchAsync(CancellationToken ct)
    {
        var open = await incidents.ListOpenAsync(ct);
        var total = new DispatchSummary(open.Count, 0, 0, 0, 0);
        foreach (var incident in open)
        {
            var r = await DispatchIncidentAsync(incident, ct);
            total = total with { Sent = total.Sent + r.Sent, Pending = total.Pending + r.Pending, Unconfirmed = total.Unconfirmed + r.Unconfirmed, Failed = total.Failed + r.Failed };
        }

        return total;
    }

    private async Task<DispatchSummary> DispatchIncidentAsync(IncidentRecord incident, CancellationToken ct)
    {
        var id = incident.IncidentId;
        var snapshot = await reader.ReadAsync(incident, ct);
        incident = await recorder.ReconcileKindAsync(incident, snapshot.Attribution, OperatorAction.Timer, ct);
        var now = time.GetUtcNow();
        var waves = await notices.ListWavesAsync(id, ct);
        var rows = await notices.ListAsync(id, ct);
        if (await ReconcileAsync(id, rows, waves, now, ct))
        {
            rows = await notices.ListAsync(id, ct);
        }

        // Plan from the scope the records establish (nobody while a reported incident's scope is under investigation);
        // claim new rows and those SendGrid did not take before. A declared scope is marked as being notified first,
        // conditionally on the incident as read: from then on a re-declaration adds to it instead of replacing it.
        var scope = snapshot.Scope;
        var known = rows.Select(r => (r.Kind, r.Email)).ToHashSet();
        var fresh = scope is null ? [] : NoticePlanner.Plan(incident, scope, content.KeyOf).Where(n => !known.Contains((n.Kind, n.Email))).ToList();
        if (fresh.Count > 0 && scope!.Basis == ScopeBasis.Declared && !incident.NoticesStarted)
        {
            if (await incidents.TryReplaceAsync(incident with { NoticesStarted = true }, ct) is not { } started)
            {
                // An operator re-declared the scope since it was read: plan from the new one next tick.
                return new DispatchSummary(1, 0, 0, 0, 0);
            }

            incident = started;
        }

        var mine = (await notices.InsertNewAsync(ClaimForWaves(fresh, now), ct)).ToList();
        mine.AddRange(await notices.ReplaceAllAsync(ClaimForWaves(rows.Where(r => r.State == NoticeState.Pending).ToList(), now), ct));

        // Delete requests first: an apology says "we asked them to delete it" only once the records show it.
        var sent = 0;
        var facts = mine.Count == 0 ? null : content.Facts(snapshot, await incidents.FindingsAsync(id, ct));
        foreach (var kind in new[] { NoticeKind.DeleteRequest, NoticeKind.Apology })
        {
            var kindWaves = mine.Where(n => n.Kind == kind).GroupBy(n => n.WaveId).ToList();
            if (kindWaves.Count == 0)
            {
                continue;
            }

            rows = await notices.ListAsync(id, ct);
            var deleteRequests = NoticeContent.DeleteRequests(scope!, rows);
            foreach (var wave in kindWaves)
            {
                sent += await SendWaveAsync(incident, facts!, deleteRequests, wave.ToList(), ct);
            }
        }

        rows = await notices.ListAsync(id, ct);
        waves = await notices.ListWavesAsync(id, ct);
        var summary = new DispatchSummary(1, sent,
            Pending: rows.Count(n => n.State is NoticeState.Pending or NoticeState.Sending),
            Unconfirmed: rows.Count(n => n.State == NoticeState.Unknown),
            Failed: rows.Count(n => n.State == NoticeState.Failed));
        var stillChecking = waves.Any(w => w.State == NoticeState.Unknown && w.NextCheckAt is not null);
        if (summary.Pending == 0 && !stillChecking && snapshot.Attribution.Settled)
        {
            // Nobody to tell: a near miss when the detector halted it; an incident people reported stays open until its scope is known.
            if (rows.Count > 0)
            {
                await CloseAsync(incident, summary.Unconfirmed + summary.Failed == 0 ? IncidentStatus.Notified : IncidentStatus.NotifiedWithUnconfirmed, ct);
            }
            else if (incident.Source == IncidentSource.Detector && snapshot.Attribution.Reached.Count == 0)
            {
                await CloseAsync(incident, IncidentStatus.Contained, ct);
            }
        }

        logger.LogInformation("Incident {IncidentId}: {Sent} notices sent this tick, {Pending} pending, {Unconfirmed} unconfirmed, {Failed} failed, {InFlight} chunks in flight",
            id, sent, summary.Pending, summary.Unconfirmed, summary.Failed, snapshot.Attribution.InFlight.Count);
        return summary;
    }

    private async Task<int> SendWaveAsync(IncidentRecord incident, IncidentFacts facts, StepState deleteRequests, List<NoticeRecord> wave, CancellationToken ct)
    {
        var first = wave[0];
        var now = time.GetUtcNow();
        var record = await notices.TryAddWaveAsync(new WaveRecord(incident.IncidentId, first.WaveId, first.Kind, first.Language, wave.Count)
        {
            AttemptedAt = now,
            LeaseUntil = first.LeaseUntil,
        }, ct) ?? throw new InvalidOperationException($"wave {first.WaveId} exists already");

        var result = await mail.SendAsync(Body(incident, facts, deleteRequests, wave), ct);
        var (state, next) = result.Outcome switch
        {
            MailOutcome.Accepted => (NoticeState.Sent, (DateTimeOffset?)null),
            MailOutcome.NotAccepted => (NoticeState.Pending, null),
            MailOutcome.Refused => (NoticeState.Failed, null),
            _ => (NoticeState.Unknown, now + reliability.Value.Backoff(0)),
        };
        var at = time.GetUtcNow();
        await notices.ReplaceAllAsync(wave.Select(n => n with { State = state, SentAt = state == NoticeState.Sent ? at : null, Attempts = n.Attempts + 1 }).ToList(), ct);
        await notices.TryReplaceWaveAsync(record with
        {
            State = state,
            SentAt = state == NoticeState.Sent ? at : null,
            NextCheckAt = next,
            Reason = result.Outcome == MailOutcome.Accepted ? null : result.ToString(),
        }, ct);

        var what = $"{wave.Count} × {StoredName.Of(first.Kind)}";
        switch (state)
        {
            case NoticeState.Sent:
                return wave.Count;
            case NoticeState.Pending:
                logger.LogWarning("Incident {IncidentId}: a wave of {What} was not accepted ({Result}); retried next tick", incident.IncidentId, what, result);
                break;
            case NoticeState.Failed:
                await RecordAsync(incident.IncidentId, IncidentEventKind.WaveFailed, $"{what}: SendGrid refused the wave ({result}); not retried", ct, wave.Count);
                logger.LogError("Incident {IncidentId}: SendGrid refused a wave of {What} ({Result}); marked failed, not retried", incident.IncidentId, what, result);
                break;
            default:
                await RecordAsync(incident.IncidentId, IncidentEventKind.WaveUnknown, $"{what}: SendGrid's answer was lost; checked through Email Activity", ct, wave.Count);
                logger.LogWarning("Incident {IncidentId}: SendGrid's answer to a wave of {What} was lost ({Result}); not sent again until Email Activity settles it", incident.IncidentId, what, result);
                break;
        }

        return 0;
    }

    /// <summary>
    /// Waves left sending past their lease (their worker died) or unknown: sent if Email Activity lists them; sent
    /// again only if it still does not, long after the attempt; otherwise asked again later.
    /// </summary>
    /// <returns>Whether any row changed.</returns>
    private async Task<bool> ReconcileAsync(string incidentId, IReadOnlyList<NoticeRecord> rows, IReadOnlyList<WaveRecord> waves, DateTimeOffset now, CancellationToken ct)
    {
        var lag = reliability.Value.ActivityIndexingLag;
        var changed = false;
        foreach (var wave in waves.Where(w => (w.State == NoticeState.Sending && w.LeaseUntil < now) || (w.State == NoticeState.Unknown && w.NextCheckAt <= now)))
        {
            var answer = await mail.FindAcceptedAsync(OutgoingMail.WaveArg, wave.WaveId, ct);
            var state = answer switch
            {
                ActivityAnswer.Found => NoticeState.Sent,
                ActivityAnswer.NotFound when now >= wave.AttemptedAt + lag => NoticeState.Pending,
                _ => NoticeState.Unknown,
            };
            var checkedWave = await notices.TryReplaceWaveAsync(wave with
            {
                State = state,
                SentAt = state == NoticeState.Sent ? wave.AttemptedAt : null,
                Checks = wave.Checks + 1,
                NextCheckAt = state != NoticeState.Unknown || answer == ActivityAnswer.Unavailable ? null : now + reliability.Value.Backoff(wave.Checks),
                Reason = answer switch
                {
                    ActivityAnswer.Found => null,
                    ActivityAnswer.Unavailable => "SendGrid's answer was lost and Email Activity is not available: it cannot be known whether the wave was sent",
                    _ => $"Email Activity: {answer} {now - wave.AttemptedAt:hh\\:mm\\:ss} after the attempt",
                },
            }, ct);
            if (checkedWave is null)
            {
                continue; // another dispatcher checked it first
            }

            await notices.ReplaceAllAsync(rows.Where(n => n.WaveId == wave.WaveId && n.State is NoticeState.Sending or NoticeState.Unknown)
                .Select(n => n with { State = state, SentAt = checkedWave.SentAt }).ToList(), ct);
            changed = true;
            if (wave.State == NoticeState.Sending && state == NoticeState.Unknown)
            {
                await RecordAsync(incidentId, IncidentEventKind.WaveUnknown, $"{wave.Count} × {StoredName.Of(wave.Kind)}: its dispatcher stopped mid-send; checked through Email Activity", ct, wave.Count);
            }

            logger.LogWarning("Notice wave {WaveId}: Email Activity answered {Answer}; {Count} notices are {State}", wave.WaveId, answer, wave.Count, StoredName.Of(state));
        }

        // Rows claimed by a dispatcher that died before it recorded (let alone sent) their wave: nothing went out.
        var recorded = waves.Select(w => w.WaveId).ToHashSet();
        var orphans = rows.Where(n => n.State == NoticeState.Sending && n.LeaseUntil < now && !recorded.Contains(n.WaveId))
            .Select(n => n with { State = NoticeState.Pending }).ToList();
        return (await notices.ReplaceAllAsync(orphans, ct)).Count > 0 || changed;
    }

    private string Body(IncidentRecord incident, IncidentFacts facts, StepState deleteRequests, List<NoticeRecord> wave)
    {
        var personalizations = new JsonArray();
        foreach (var n in wave)
        {
            var rendered = renderer.Render(facts, content.Target(n, deleteRequests));
            personalizations.Add(new JsonObject
            {
                ["to"] = new JsonArray(new JsonObject { ["email"] = n.Email }),
                ["subject"] = rendered.Subject,
                ["substitutions"] = new JsonObject { ["-notice-text-"] = rendered.Text, ["-notice-html-"] = rendered.Html },
            });
        }

        var from = sender.Value;
        return new JsonObject
        {
            // The From is the organisation's own; a job's contact address is only the reply-to.
            ["from"] = new JsonObject { ["email"] = from.FromAddress, ["name"] = from.FromDisplayName },
            ["reply_to"] = new JsonObject { ["email"] = facts.ContactEmail ?? from.ContactEmail },
            ["personalizations"] = personalizations,
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "text/plain", ["value"] = "-notice-text-" },
                new JsonObject { ["type"] = "text/html", ["value"] = "-notice-html-" }),
            ["custom_args"] = new JsonObject { [OutgoingMail.WaveArg] = wave[0].WaveId, ["incident"] = incident.IncidentId },
            ["categories"] = new JsonArray("mis-send-notice", StoredName.Of(wave[0].Kind)),
            // Click tracking would rewrite the signed confirmation link.
            ["tracking_settings"] = new JsonObject { ["click_tracking"] = new JsonObject { ["enable"] = false, ["enable_text"] = false } },
        }.ToJsonString();
    }

    /// <summary>Marks rows as being sent by this dispatcher, in waves of one kind and language, under a lease.</summary>
    private List<NoticeRecord> ClaimForWaves(IReadOnlyList<NoticeRecord> rows, DateTimeOffset now) =>
        rows.GroupBy(n => (n.Kind, n.Language))
            .SelectMany(group => group.Chunk(_options.WaveSize).SelectMany(wave =>
            {
                var waveId = Guid.NewGuid().ToString("N");
                return wave.Select(n => n with { WaveId = waveId, State = NoticeState.Sending, LeaseUntil = now + _options.Lease });
            }))
            .ToList();

    /// <summary>
    /// Closes the incident as this tick read it. Conditional on that version: an incident changed meanwhile (a new
    /// declaration, a new halt) stays open, and the next tick decides again from what it is now.
    /// </summary>
    private async Task CloseAsync(IncidentRecord incident, IncidentStatus status, CancellationToken ct)
    {
        if (incident.Status == IncidentStatus.Open && await incidents.TryReplaceAsync(incident with { Status = status }, ct) is not null)
        {
            await RecordAsync(incident.IncidentId, IncidentEventKind.StatusChanged, StoredName.Of(status), ct);
        }
    }

    private Task RecordAsync(string incidentId, IncidentEventKind kind, string detail, CancellationToken ct, int? count = null) =>
        recorder.RecordAsync(incidentId, kind, OperatorAction.Timer, detail, count: count, ct: ct);
}
