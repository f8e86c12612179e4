using Azure;
using Azure.Data.Tables;

namespace MisSend.Azure.Storage;

public static class JobStates
{
    public const string Open = "open";
    public const string Halted = "halted";
}

public static class ChunkStates
{
    /// <summary>Written before the SendGrid call: a redelivery that finds it never sends again.</summary>
    public const string Sending = "sending";
    public const string Sent = "sent";

    /// <summary>Found in "sending" on redelivery: SendGrid may or may not have accepted it. Never re-sent; the operator decides.</summary>
    public const string Unconfirmed = "sent-unconfirmed";
    public const string Quarantined = "quarantined";
    public const string Cancelled = "cancelled";
    public const string Discarded = "discarded";
}

public abstract class EntityBase : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
}

/// <summary>Jobs table, row "job": one per job, the halt switch every chunk checks.</summary>
public sealed class JobEntity : EntityBase
{
    public const string Row = "job";
    public string State { get; set; } = JobStates.Open;
    public string? IncidentId { get; set; }
    public int ChunkCount { get; set; }
    public DateTimeOffset? FirstSentAt { get; set; }
    public DateTimeOffset? HaltedAt { get; set; }
}

/// <summary>Jobs table, row "chunk-NNNNN": the idempotency record of one chunk.</summary>
public sealed class ChunkEntity : EntityBase
{
    public string State { get; set; } = ChunkStates.Sending;
    public string? BatchId { get; set; }
    public DateTimeOffset? SendAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Personalizations { get; set; }
    public int Recipients { get; set; }
    public string? Reason { get; set; }
    public string? QuarantineBlob { get; set; }
}

/// <summary>Ledger table, row "rcpt-HASH": the first data subject a recipient got in this job.</summary>
public sealed class RecipientClaimEntity : EntityBase
{
    public string SubjectKey { get; set; } = "";
    public int Chunk { get; set; }
}

/// <summary>Ledger table, row "dlv-RECIPIENT-CHUNK-SUBJECT": one recipient received one data subject's data.</summary>
public sealed class DeliveryEntity : EntityBase
{
    public string Recipient { get; set; } = "";
    public string SubjectKey { get; set; } = "";
    public string? SubjectEmail { get; set; }
    public string Categories { get; set; } = "";
    public int Chunk { get; set; }
    public bool OwnerConfirmed { get; set; }
    public bool Misdirected { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

/// <summary>Incidents table, row "incident".</summary>
public sealed class IncidentEntity : EntityBase
{
    public const string Row = "incident";
    public string JobId { get; set; } = "";
    public string Source { get; set; } = "detector";
    public string? Reason { get; set; }
    public string Status { get; set; } = "open";
    public string? Language { get; set; }
    public string? ContactEmail { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset? FirstSentAt { get; set; }
    public DateTimeOffset? HaltedAt { get; set; }
}

/// <summary>Incidents table, row "findings-CHUNK": what the detector found in one chunk (masked JSON).</summary>
public sealed class IncidentFindingsEntity : EntityBase
{
    public int Chunk { get; set; }
    public string FindingsJson { get; set; } = "[]";
    public string? QuarantineBlob { get; set; }
    public DateTimeOffset DetectedAt { get; set; }
}

/// <summary>Incidents table, row "exp-RECIPIENT-SUBJECT": personal data that actually reached someone it does not belong to.</summary>
public sealed class ExposureEntity : EntityBase
{
    public string Recipient { get; set; } = "";
    public string SubjectKey { get; set; } = "";
    public string? SubjectEmail { get; set; }
    public string Categories { get; set; } = "";
    public int Chunk { get; set; }
    public DateTimeOffset SentAt { get; set; }
}
