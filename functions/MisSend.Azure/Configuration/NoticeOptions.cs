using System.ComponentModel.DataAnnotations;

namespace MisSend.Azure.Configuration;

public sealed class NoticeOptions
{
    public const string SectionName = "Notices";

    /// <summary>Who the notices speak for, as the recipients know it.</summary>
    [Required]
    public string Organization { get; set; } = "送信者";

    /// <summary>Where affected people can write; a job's policy contactEmail wins.</summary>
    [Required, EmailAddress]
    public string ContactEmail { get; set; } = "privacy@example.jp";

    /// <summary>Public base URL of the HTTP functions, for the "deleted unread" link.</summary>
    [Required, Url]
    public string LinkBaseUrl { get; set; } = "http://localhost:7071/api";

    /// <summary>HMAC key (base64, at least 32 bytes) that signs confirmation links. A Key Vault reference in Azure.</summary>
    public string? SigningKey { get; set; }

    [Range(typeof(TimeSpan), "1.00:00:00", "90.00:00:00")]
    public TimeSpan ConfirmLinkValidity { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a claimed wave is its dispatcher's before the next tick reconciles it: longer than a send with all its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>SendGrid accepts at most 1000 personalizations per request.</summary>
    [Range(1, 1000)]
    public int WaveSize { get; set; } = 1000;

    public byte[] SigningKeyBytes() => SigningKey is { Length: > 0 } key
        ? Convert.FromBase64String(key)
        : throw new InvalidOperationException("Notices:SigningKey is not set. Set Notices__SigningKey to 32+ random bytes in base64 (a Key Vault reference in Azure).");
}
