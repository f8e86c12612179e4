using System.ComponentModel.DataAnnotations;

namespace MisSend.Azure.Configuration;

public sealed class SendGridOptions
{
    public const string SectionName = "SendGrid";

    /// <summary>Name of the HttpClient the SendGrid client gets from IHttpClientFactory on every use.</summary>
    public const string HttpClientName = "SendGrid";

    /// <summary>In Azure this is a Key Vault reference; it is never logged.</summary>
    [Required(ErrorMessage = "SendGrid:ApiKey is not set. Set SendGrid__ApiKey (a Key Vault reference in Azure).")]
    public string? ApiKey { get; set; }

    /// <summary>SendGrid's API root. Tests point it at a loopback stand-in.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = "https://api.sendgrid.com";

    /// <summary>Retries after a 429 or 5xx answer, or a connection that never opened.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two retries; a later X-RateLimit-Reset is capped to it (the queue retries after that).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request may take; past it the answer is lost (for mail/send: unknown, never retried blindly).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
