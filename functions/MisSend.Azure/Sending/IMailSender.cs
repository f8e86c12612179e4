namespace MisSend.Azure.Sending;

/// <summary>Where accepted mail goes: SendGrid in Azure, an .eml outbox in the local demo.</summary>
public interface IMailSender
{
    /// <summary>Sends one mail/send body as is. Throws <see cref="MailSendException"/> when it was not accepted.</summary>
    Task SendAsync(string mailJson, CancellationToken ct);

    /// <summary>A SendGrid batch id, so that scheduled sends can be cancelled later.</summary>
    Task<string> CreateBatchIdAsync(CancellationToken ct);

    /// <summary>Cancels every scheduled send carrying the batch id (SendGrid: more than 10 minutes before send_at).</summary>
    Task CancelScheduledAsync(string batchId, CancellationToken ct);

    /// <summary>
    /// Whether a mail sent with <c>custom_args[key] = value</c> was accepted (SendGrid's Email Activity API).
    /// Null when that cannot be known (the API is not available to the account).
    /// </summary>
    Task<bool?> WasAcceptedAsync(string customArgKey, string value, CancellationToken ct);
}

/// <summary>The mail was not accepted after retries. The status tells whether retrying later can help.</summary>
public sealed class MailSendException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
