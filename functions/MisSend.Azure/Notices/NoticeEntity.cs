using MisSend.Azure.Storage;

namespace MisSend.Azure.Notices;

public static class NoticeStates
{
    /// <summary>Claimed by a dispatcher for a wave; written before the SendGrid call.</summary>
    public const string Sending = "sending";
    public const string Sent = "sent";

    /// <summary>SendGrid refused the wave: the next tick sends it again.</summary>
    public const string Pending = "pending";

    /// <summary>A stale wave that reconciliation could not check: never re-sent blindly; shown in the report.</summary>
    public const string Unconfirmed = "unconfirmed";
}

/// <summary>Notices table: one row per person per incident per kind. The row is the exactly-once guarantee.</summary>
public sealed class NoticeEntity : EntityBase
{
    public string Kind { get; set; } = "";
    public string Email { get; set; } = "";
    public string Language { get; set; } = "ja";
    public string Categories { get; set; } = "";
    public int RecipientCount { get; set; }
    public int MailCount { get; set; }
    public string State { get; set; } = NoticeStates.Sending;
    public string WaveId { get; set; } = "";
    public DateTimeOffset LeaseUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? ConfirmedDeletedAt { get; set; }
}
