using System.ComponentModel.DataAnnotations;
using MisSend.Application.Inputs;

namespace MisSend.Application.Notices;

/// <summary>Who the notices and reports speak for. Section "Notices" (the setting names infra/ provisions).</summary>
public sealed class OrganizationOptions
{
    public const string SectionName = "Notices";

    /// <summary>Who the notices speak for, as the recipients know it.</summary>
    [Required]
    public string Organization { get; set; } = "送信者";

    /// <summary>Where affected people can write; a job's policy contactEmail is the reply-to of its own notices.</summary>
    [Required, EmailAddress]
    public string ContactEmail { get; set; } = "privacy@example.jp";
}

/// <summary>How notices are sent. Section "Notices". Validated at start-up wherever notices can be sent.</summary>
public sealed class NoticeOptions
{
    public const string SectionName = "Notices";

    /// <summary>Public base URL of the HTTP functions, for the "deleted unread" link: https (http only on loopback, for local runs).</summary>
    [Required]
    public string LinkBaseUrl { get; set; } = "http://localhost:7071/api";

    /// <summary>HMAC key (base64, at least 32 bytes) that signs confirmation links. A Key Vault reference in Azure. Required.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The notices' From; SendGrid:FromEmail, else the organisation's contact.</summary>
    public string? FromEmail { get; set; }

    public string? FromName { get; set; }

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

    /// <summary>Every problem that would stop a notice from going out, named by setting; empty when none.</summary>
    public IEnumerable<string> Problems()
    {
        var buffer = new byte[SigningKey?.Length ?? 0];
        if (SigningKey is not { Length: > 0 } || !Convert.TryFromBase64String(SigningKey, buffer, out var length) || length < 32)
        {
            yield return "Notices:SigningKey must be base64 of at least 32 random bytes (Notices__SigningKey; a Key Vault reference in Azure).";
        }

        if (!Uri.TryCreate(LinkBaseUrl, UriKind.Absolute, out var link) || !(link.Scheme == Uri.UriSchemeHttps || (link.Scheme == Uri.UriSchemeHttp && link.IsLoopback)))
        {
            yield return "Notices:LinkBaseUrl must be an absolute https URL of the sender's own domain (http only for localhost).";
        }

        if (FromEmail is not null && !ContactAddress.IsValid(FromEmail))
        {
            yield return "SendGrid:FromEmail must be a single e-mail address.";
        }
    }
}
