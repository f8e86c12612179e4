using System.ComponentModel.DataAnnotations;

namespace MisSend.Application.Notices;

/// <summary>
/// How notices are sent and signed. Section "Notices"; validated at start-up wherever notices can be sent. Who they
/// speak for, their From and their contact details are <see cref="Core.Notices.NoticeSenderOptions"/>.
/// </summary>
public sealed class NoticeOptions
{
    public const string SectionName = "Notices";

    /// <summary>
    /// HMAC key (base64, at least 32 bytes) that signs the confirmation and "not mine" links and keys the notice rows. A Key Vault
    /// reference in Azure. Required. Rotate it only between incidents: links already sent stop working.
    /// </summary>
    public string? SigningKey { get; set; }

    [Range(typeof(TimeSpan), "1.00:00:00", "90.00:00:00")]
    public TimeSpan ConfirmLinkValidity { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a mail's "this mail is not for me" link works after the mail is sent.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "90.00:00:00")]
    public TimeSpan NotMineLinkValidity { get; set; } = TimeSpan.FromDays(30);

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
    }
}
