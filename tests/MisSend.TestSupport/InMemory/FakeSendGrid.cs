using System.Text.Json.Nodes;
using MisSend.Application.Ports;

namespace MisSend.TestSupport.InMemory;

/// <summary>What goes wrong with one mail/send request.</summary>
public enum SendFault
{
    /// <summary>SendGrid accepts the mail, and the answer never comes back: the caller gets <see cref="MailOutcome.Unknown"/>.</summary>
    DropResponse,

    /// <summary>SendGrid answers 500 (after the client's retries): not accepted.</summary>
    ServerError,

    /// <summary>SendGrid answers 400: refused for good.</summary>
    BadRequest,
}

/// <summary>
/// SendGrid in memory: what it accepted (and when), scheduled sends and their cancels, and an Email Activity that
/// lists an accepted mail only after <see cref="IndexingDelay"/>, as the real one does.
/// </summary>
public sealed class FakeSendGrid(FaultPlan faults, TimeProvider time) : IMailSender
{
    private readonly List<(SendFault Fault, Func<JsonObject, bool>? Where, int Remaining)> _sendFaults = [];
    private readonly Queue<ActivityAnswer> _activityAnswers = new();
    private readonly Queue<MailResult> _cancelAnswers = new();
    private readonly List<AcceptedMail> _accepted = [];
    private readonly List<(string BatchId, DateTimeOffset At)> _cancels = [];
    private int _requests;
    private int _activityQueries;

    public sealed record AcceptedMail(JsonObject Body, DateTimeOffset At)
    {
        public string? Arg(string key) => Body["custom_args"]?[key]?.GetValue<string>();

        public IEnumerable<string> Recipients => Body["personalizations"]!.AsArray()
            .SelectMany(p => new[] { "to", "cc", "bcc" }.SelectMany(f => p![f]?.AsArray() ?? []))
            .Select(a => a!["email"]!.GetValue<string>());

        public DateTimeOffset? SendAt => Body["send_at"]?.GetValue<long>() is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

        public string? BatchId => Body["batch_id"]?.GetValue<string>();
    }

    /// <summary>How long after acceptance Email Activity lists a mail.</summary>
    public TimeSpan IndexingDelay { get; set; }

    /// <summary>Every mail/send request that reached SendGrid, accepted or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int ActivityQueries => Volatile.Read(ref _activityQueries);

    public IReadOnlyList<AcceptedMail> Accepted
    {
        get
        {
            lock (_accepted)
            {
                return [.. _accepted];
            }
        }
    }

    public IReadOnlyList<string> Cancels
    {
        get
        {
            lock (_cancels)
            {
                return _cancels.Select(c => c.BatchId).ToList();
            }
        }
    }

    /// <summary>Accepted mails that reach their recipients: not held under a batch id SendGrid cancelled in time (10 minutes before send_at).</summary>
    public IReadOnlyList<AcceptedMail> Delivered
    {
        get
        {
            lock (_cancels)
            {
                return Accepted.Where(m => m.BatchId is null || m.SendAt is null
                    || !_cancels.Any(c => c.BatchId == m.BatchId && m.SendAt.Value - c.At > TimeSpan.FromMinutes(10))).ToList();
            }
        }
    }

    /// <summary>Accepted mails (chunks, not notices) carrying <paramref name="recipient"/>.</summary>
    public int DeliveredTo(string recipient) => Delivered.Count(m => m.Arg("notice_wave") is null && m.Recipients.Contains(recipient));

    public void FailSends(SendFault fault, Func<JsonObject, bool>? where = null, int times = 1)
    {
        lock (_sendFaults)
        {
            _sendFaults.Add((fault, where, times));
        }
    }

    /// <summary>The next Email Activity queries get these answers, in order; then it answers from what was accepted.</summary>
    public void AnswerActivity(params ActivityAnswer[] answers)
    {
        lock (_activityAnswers)
        {
            foreach (var a in answers)
            {
                _activityAnswers.Enqueue(a);
            }
        }
    }

    public void AnswerCancels(params MailResult[] answers)
    {
        lock (_cancelAnswers)
        {
            foreach (var a in answers)
            {
                _cancelAnswers.Enqueue(a);
            }
        }
    }

    public static bool To(JsonObject body, string recipient) =>
        body["personalizations"]!.AsArray().Any(p => p!["to"]!.AsArray().Any(a => a!["email"]!.GetValue<string>() == recipient));

    public async Task<MailResult> SendAsync(string mailJson, CancellationToken ct)
    {
        var body = JsonNode.Parse(mailJson)!.AsObject();
        var subject = (body["custom_args"]?["notice_wave"] is null ? "chunk:" : "wave:") + body["personalizations"]![0]!["to"]![0]!["email"]!.GetValue<string>();
        await faults.PassAsync(new Step(Ops.Send, subject, StepPhase.Before, mailJson));
        Interlocked.Increment(ref _requests);
        SendFault? fault = null;
        lock (_sendFaults)
        {
            var i = _sendFaults.FindIndex(f => f.Remaining > 0 && (f.Where?.Invoke(body) ?? true));
            if (i >= 0)
            {
                fault = _sendFaults[i].Fault;
                _sendFaults[i] = _sendFaults[i] with { Remaining = _sendFaults[i].Remaining - 1 };
            }
        }

        switch (fault)
        {
            case SendFault.ServerError:
                return new MailResult(MailOutcome.NotAccepted, 500, "{\"errors\":[{\"message\":\"internal error\"}]}");
            case SendFault.BadRequest:
                return new MailResult(MailOutcome.Refused, 400, "{\"errors\":[{\"field\":\"personalizations.0.to.0.email\",\"message\":\"does not contain a valid address\"}]}");
        }

        lock (_accepted)
        {
            _accepted.Add(new AcceptedMail(body, time.GetUtcNow()));
        }

        await faults.PassAsync(new Step(Ops.Send, subject, StepPhase.After, mailJson));
        return fault == SendFault.DropResponse ? new MailResult(MailOutcome.Unknown, null, "connection lost after the request was sent") : MailResult.Accepted;
    }

    public Task<string?> CreateBatchIdAsync(CancellationToken ct) => Task.FromResult<string?>("batch-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task<MailResult> CancelScheduledAsync(string batchId, CancellationToken ct)
    {
        await faults.PassAsync(new Step(Ops.Cancel, batchId, StepPhase.Before));
        lock (_cancelAnswers)
        {
            if (_cancelAnswers.TryDequeue(out var answer))
            {
                return answer;
            }
        }

        lock (_cancels)
        {
            _cancels.Add((batchId, time.GetUtcNow()));
        }

        return MailResult.Accepted;
    }

    public async Task<ActivityAnswer> FindAcceptedAsync(string customArgKey, string value, CancellationToken ct)
    {
        await faults.PassAsync(new Step(Ops.Activity, value, StepPhase.Before));
        Interlocked.Increment(ref _activityQueries);
        lock (_activityAnswers)
        {
            if (_activityAnswers.TryDequeue(out var answer))
            {
                return answer;
            }
        }

        var now = time.GetUtcNow();
        return Accepted.Any(m => m.Arg(customArgKey) == value && now >= m.At + IndexingDelay) ? ActivityAnswer.Found : ActivityAnswer.NotFound;
    }
}
