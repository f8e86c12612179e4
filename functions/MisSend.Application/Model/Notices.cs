using System.Text.Json.Serialization;
using MisSend.Core.Detection;
using MisSend.Core.Notices;

namespace MisSend.Application.Model;

/// <summary>Where one notice (or its wave) is. Every state has a stable stored name.</summary>
public enum NoticeState
{
    /// <summary>Claimed for a wave under a lease; written before the SendGrid call.</summary>
    [JsonStringEnumMemberName("sending")] Sending,
    [JsonStringEnumMemberName("sent")] Sent,

    /// <summary>SendGrid answered that it did not take the wave (429/5xx), or reconciliation proved it never arrived: sent again.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>The response was lost, or the worker died mid-send: never re-sent until Email Activity settles it.</summary>
    [JsonStringEnumMemberName("unknown")] Unknown,

    /// <summary>SendGrid refused the wave for good (400 and the like): not retried; the reason is shown.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>One person to notify in one incident, once: the row is the exactly-once guarantee.</summary>
/// <param name="Key">
/// The person's <see cref="RecipientKey"/> (keyed with the signing key): the row's key and the confirmation link's,
/// so that nobody without the key can tell whose row or link it is.
/// </param>
public sealed record NoticeRecord(string IncidentId, NoticeKind Kind, string Email, string Key)
{
    public string Language { get; init; } = "ja";

    /// <summary>Their name as the records hold it (the salutation); null when unknown.</summary>
    public string? Name { get; init; }

    /// <summary>Apology: the data subject's ledger key.</summary>
    public string? SubjectKey { get; init; }
    public IReadOnlyList<DataCategory> Categories { get; init; } = [];

    /// <summary>Apology: how many other people received the subject's data.</summary>
    public int RecipientCount { get; init; }

    /// <summary>Delete request: how many mails the recipient got that were not theirs.</summary>
    public int MailCount { get; init; }

    /// <summary>When the first mail concerned went out (the apology's "when", the delete request's date of the mail).</summary>
    public DateTimeOffset? FirstSentAt { get; init; }

    /// <summary>Delete request: the masked subject line of (the first of) those mails, to name it; null when not recorded.</summary>
    public string? MailSubject { get; init; }
    public NoticeState State { get; init; } = NoticeState.Sending;
    public string WaveId { get; init; } = "";
    public DateTimeOffset LeaseUntil { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? ConfirmedDeletedAt { get; init; }
    public string? Version { get; init; }
}

/// <summary>One SendGrid request of notices: what the report's timeline shows and what reconciliation checks.</summary>
public sealed record WaveRecord(string IncidentId, string WaveId, NoticeKind Kind, string Language, int Count)
{
    public NoticeState State { get; init; } = NoticeState.Sending;
    public DateTimeOffset AttemptedAt { get; init; }
    public DateTimeOffset LeaseUntil { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public int Checks { get; init; }

    /// <summary>When Email Activity is asked again about an unknown wave; null once it cannot be known any more.</summary>
    public DateTimeOffset? NextCheckAt { get; init; }
    public string? Reason { get; init; }
    public string? Version { get; init; }
}
