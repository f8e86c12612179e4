namespace MisSend.Application.Ports;

/// <summary>SendGrid, as the pipeline needs it. Every answer says what is known; a lost response is <see cref="MailOutcome.Unknown"/>.</summary>
public interface IMailSender
{
    /// <summary>Sends one mail/send body as is.</summary>
    Task<MailResult> SendAsync(string mailJson, CancellationToken ct);

    /// <summary>A new SendGrid batch id, or null when SendGrid did not give one.</summary>
    Task<string?> CreateBatchIdAsync(CancellationToken ct);

    /// <summary>Cancels every scheduled send of the batch id (SendGrid honours it until 10 minutes before send_at).</summary>
    Task<MailResult> CancelScheduledAsync(string batchId, CancellationToken ct);

    /// <summary>Asks Email Activity whether a mail with <c>custom_args[key] = value</c> was accepted.</summary>
    Task<ActivityAnswer> FindAcceptedAsync(string customArgKey, string value, CancellationToken ct);
}

public enum MailOutcome
{
    Accepted,

    /// <summary>SendGrid answered, and did not take it (429/5xx after retries), or the request never left: it may be tried again.</summary>
    NotAccepted,

    /// <summary>SendGrid refused it for good (a 4xx other than 429): trying again cannot help.</summary>
    Refused,

    /// <summary>The request may have reached SendGrid, but no answer came back (dropped connection, timeout).</summary>
    Unknown,
}

public sealed record MailResult(MailOutcome Outcome, int? Status = null, string? Detail = null)
{
    public static readonly MailResult Accepted = new(MailOutcome.Accepted);

    public override string ToString() => Status is { } s ? $"{Outcome} ({s}{(Detail is null ? "" : ": " + Detail)})" : $"{Outcome}{(Detail is null ? "" : ": " + Detail)}";
}

public enum ActivityAnswer
{
    /// <summary>Email Activity lists a mail with the custom arg: SendGrid accepted it.</summary>
    Found,

    /// <summary>Nothing listed yet. Email Activity indexes with a lag: this means "not accepted" only long after the attempt.</summary>
    NotFound,

    /// <summary>A transient error (429/5xx, timeout): ask again later.</summary>
    TransientError,

    /// <summary>The account has no Email Activity access: it cannot be known.</summary>
    Unavailable,
}
