using Azure;
using Azure.Data.Tables;

namespace MisSend.Azure.Storage;

/// <summary>
/// Table rows. States and kinds are stored by their stable names and data categories by their ids (never enum
/// ordinals); the mapping to the application's records is in each store.
/// </summary>
public abstract class EntityBase : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? Version => ETag == default ? null : ETag.ToString();

    public static ETag ETagOf(string? version) => version is null ? default : new ETag(version);
}

/// <summary>Jobs table, row "job": the halt switch every chunk checks.</summary>
public sealed class JobEntity : EntityBase
{
    public const string Row = "job";
    public string State { get; set; } = "";
    public string? IncidentId { get; set; }
    public int ChunkCount { get; set; }
    public DateTimeOffset? FirstSentAt { get; set; }
    public DateTimeOffset? HaltedAt { get; set; }

    /// <summary>"detector" or "recipient-report"; null while open.</summary>
    public string? HaltedBy { get; set; }
    public string? BatchId { get; set; }
    public string Cancel { get; set; } = "";
    public int CancelAttempts { get; set; }
    public DateTimeOffset? NextCancelAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelError { get; set; }
}

/// <summary>Jobs table, row "chunk-NNNNN": the idempotency record of one chunk.</summary>
public sealed class ChunkEntity : EntityBase
{
    public string State { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? AttemptId { get; set; }
    public DateTimeOffset? AttemptedAt { get; set; }
    public int Attempts { get; set; }
    public int Checks { get; set; }
    public DateTimeOffset? NextCheckAt { get; set; }
    public DateTimeOffset? SendAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Personalizations { get; set; }
    public int Recipients { get; set; }
    public string? SafeSubject { get; set; }
    public string? Reason { get; set; }
}

/// <summary>Jobs table, partition "~attention" (no job id starts with "~"): work for the timer's sweep.</summary>
public sealed class FlagEntity : EntityBase
{
    public const string Partition = "~attention";
    public string JobId { get; set; } = "";
    public int Chunk { get; set; }
}

/// <summary>Ledger table, row "claim-HASH": the first chunk of this job to deliver to a recipient, or to carry a data subject.</summary>
public sealed class DeliveryClaimEntity : EntityBase
{
    public string Key { get; set; } = "";
    public int Chunk { get; set; }
}

/// <summary>Ledger table, row "dlv-RECIPIENT-CHUNK-SUBJECT": one recipient receives (or may receive) one data subject's data.</summary>
public sealed class DeliveryEntity : EntityBase
{
    public int Chunk { get; set; }
    public int Personalization { get; set; }
    public string Recipient { get; set; } = "";
    public string SubjectKey { get; set; } = "";
    public string? SubjectEmail { get; set; }

    /// <summary>Data category ids, comma-separated.</summary>
    public string Categories { get; set; } = "";
    public bool OwnerConfirmed { get; set; }
    public bool Misdirected { get; set; }
    public string? SubjectName { get; set; }
    public string? Relationship { get; set; }
}

/// <summary>Incidents table, row "incident".</summary>
public sealed class IncidentEntity : EntityBase
{
    public const string Row = "incident";
    public string JobId { get; set; } = "";
    public string Source { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Reason { get; set; }
    public string? Language { get; set; }
    public string? ContactEmail { get; set; }
    public DateTimeOffset OpenedAt { get; set; }

    /// <summary>The kind history (JSON): who changed the kind, when and why.</summary>
    public string KindHistoryJson { get; set; } = "[]";

    /// <summary>The declarations in force (JSON); a list's lines are in "pairs-HASH-NNNNN" rows.</summary>
    public string DeclarationsJson { get; set; } = "[]";
    public bool NoticesStarted { get; set; }

    /// <summary>What operators recorded for the report (JSON).</summary>
    public string RecordsJson { get; set; } = "{}";
    public DateTimeOffset? LastReportAt { get; set; }
    public DateTimeOffset? LastAlertAt { get; set; }
}

/// <summary>Incidents table, row "notmine-CHUNK-PERSONALIZATION": one recipient's "not mine" report (the row key makes repeats count once).</summary>
public sealed class NotMineReportEntity : EntityBase
{
    public string JobId { get; set; } = "";
    public int Chunk { get; set; }
    public int Personalization { get; set; }
    public DateTimeOffset ReportedAt { get; set; }

    /// <summary>Part names, comma-separated (name, address, amount, other).</summary>
    public string Parts { get; set; } = "";

    /// <summary>The suspected deliveries (JSON; categories by id).</summary>
    public string SuspectedJson { get; set; } = "[]";
    public DateTimeOffset? ActedAt { get; set; }
    public DateTimeOffset? AlertedAt { get; set; }
}

/// <summary>Incidents table, row "pairs-HASH-NNNNN": part of a declared list's lines (JSON text split under the 64 KiB property limit).</summary>
public sealed class DeclaredPairsEntity : EntityBase
{
    public string Json { get; set; } = "";
}

/// <summary>Incidents table, row "evt-TICKS-ID": one entry of the incident's record.</summary>
public sealed class IncidentEventEntity : EntityBase
{
    public DateTimeOffset At { get; set; }
    public string Kind { get; set; } = "";
    public string Who { get; set; } = "";
    public string Detail { get; set; } = "";
    public int? Chunk { get; set; }
    public int? Count { get; set; }
    public string? Reason { get; set; }
}

/// <summary>Incidents table, row "findings-CHUNK": what the detector found in one chunk (masked JSON, categories by id).</summary>
public sealed class FindingsEntity : EntityBase
{
    public int Chunk { get; set; }
    public string FindingsJson { get; set; } = "[]";
    public DateTimeOffset DetectedAt { get; set; }
    public int? PreventedSubjects { get; set; }
    public int? PreventedRecipients { get; set; }
}

/// <summary>Incidents table, row "exp-RECIPIENT-CHUNK-SUBJECT": a delivery that carried someone else's data.</summary>
public sealed class ExposureEntity : EntityBase
{
    public int Chunk { get; set; }
    public string Recipient { get; set; } = "";
    public string SubjectKey { get; set; } = "";
    public string? SubjectEmail { get; set; }
    public string Categories { get; set; } = "";
    public string? SubjectName { get; set; }
}

/// <summary>Notices table, row "KIND-KEY" (the keyed recipient key): one person's notice. The row is the exactly-once guarantee.</summary>
public sealed class NoticeEntity : EntityBase
{
    public string Kind { get; set; } = "";
    public string Email { get; set; } = "";
    public string Language { get; set; } = "";
    public string? Name { get; set; }
    public string? SubjectKey { get; set; }
    public string Categories { get; set; } = "";
    public int RecipientCount { get; set; }
    public int MailCount { get; set; }
    public DateTimeOffset? FirstSentAt { get; set; }
    public string? MailSubject { get; set; }
    public string State { get; set; } = "";
    public string WaveId { get; set; } = "";
    public DateTimeOffset LeaseUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? ConfirmedDeletedAt { get; set; }
}

/// <summary>Notices table, row "wave-ID": one SendGrid request of notices.</summary>
public sealed class WaveEntity : EntityBase
{
    public string Kind { get; set; } = "";
    public string Language { get; set; } = "";
    public int Count { get; set; }
    public string State { get; set; } = "";
    public DateTimeOffset AttemptedAt { get; set; }
    public DateTimeOffset LeaseUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Checks { get; set; }
    public DateTimeOffset? NextCheckAt { get; set; }
    public string? Reason { get; set; }
}
