using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace MisSend.Core.Notices;

/// <summary>How the sender speaks of itself in Japanese: a company says 弊社, an office (事務局) says 当事務局.</summary>
public enum SenderStyle
{
    [JsonStringEnumMemberName("company")]
    Company,

    [JsonStringEnumMemberName("office")]
    Office,
}

/// <summary>
/// Who the notices speak for, whom they come from and how the reader reaches them: the one place for these facts (the
/// notices, their From and the report's contact all read them here). Bound from configuration section
/// <see cref="SectionName"/> and validated at start-up.
/// </summary>
public sealed class NoticeSenderOptions
{
    public const string SectionName = "NoticeSender";

    /// <summary>The sender as its customers know it, e.g. 「浦和レッズ シーズンチケット事務局」.</summary>
    [Required]
    public string Organization { get; set; } = "";

    /// <summary>The name English notices use; <see cref="Organization"/> when not set.</summary>
    public string? OrganizationEn { get; set; }

    /// <summary>The notices' From address: a sender SendGrid has verified for the account. <see cref="ContactEmail"/> when not set.</summary>
    [EmailAddress]
    public string? FromEmail { get; set; }

    /// <summary>The From's display name; <see cref="Organization"/> when not set.</summary>
    public string? FromName { get; set; }

    public SenderStyle Style { get; set; } = SenderStyle.Company;

    [Required, EmailAddress]
    public string ContactEmail { get; set; } = "";

    /// <summary>A phone number people can call (the seed incident's customers phoned in).</summary>
    [Required, Phone]
    public string ContactPhone { get; set; } = "";

    /// <summary>When the phone is answered, e.g. 「平日 10:00〜17:00（土日祝日を除く）」.</summary>
    [Required]
    public string ContactHoursJa { get; set; } = "";

    [Required]
    public string ContactHoursEn { get; set; } = "";

    /// <summary>
    /// The "deleted unread" page on the sender's own https site, e.g. <c>https://www.example.jp/privacy/confirm</c>; the
    /// token is added as <c>?token=</c>. The apology warns readers about suspicious messages, so the link must be the
    /// sender's own secure domain, never the function app's host.
    /// </summary>
    [Required, HttpsUrl]
    public string ConfirmationPageUrl { get; set; } = "";

    /// <summary>
    /// The "this mail is not for me" page on the sender's own https site, e.g. <c>https://www.example.jp/privacy/not-mine</c>,
    /// which hands <c>?token=</c> to the app's <c>/api/not-mine</c>. Every mail the pipeline sends carries it as
    /// <c>not_mine_url</c> (unless the job's policy turns it off), so, like the confirmation link, it must be the sender's
    /// own secure domain.
    /// </summary>
    [Required, HttpsUrl]
    public string NotMinePageUrl { get; set; } = "";

    /// <summary>The organisation's name in <paramref name="language"/> ("ja" or "en").</summary>
    public string OrganizationIn(string language) => language == "en" && !string.IsNullOrWhiteSpace(OrganizationEn) ? OrganizationEn : Organization;

    public string FromAddress => string.IsNullOrWhiteSpace(FromEmail) ? ContactEmail : FromEmail;

    public string FromDisplayName => string.IsNullOrWhiteSpace(FromName) ? Organization : FromName;
}

/// <summary>An absolute https URL without query or fragment (the token is appended); http only on loopback, for local runs.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpsUrlAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is not string s || s.Length == 0
        || (Uri.TryCreate(s, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.Host.Length > 0)
            ? ValidationResult.Success
            : new ValidationResult($"{context.MemberName} must be an absolute https:// URL of the sender's own site, without query or fragment (http only for localhost)", [context.MemberName!]);
}
