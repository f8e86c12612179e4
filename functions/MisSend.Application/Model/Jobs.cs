using System.Text.Json.Serialization;
using MisSend.Core.Incidents;

namespace MisSend.Application.Model;

public enum JobState
{
    [JsonStringEnumMemberName("open")] Open,

    /// <summary>A chunk leaked: every chunk not yet sent is quarantined, and scheduled chunks are cancelled.</summary>
    [JsonStringEnumMemberName("halted")] Halted,
}

/// <summary>The cancellation of the job's scheduled sends (its one SendGrid batch id) after a halt.</summary>
public enum CancelState
{
    [JsonStringEnumMemberName("none")] None,

    /// <summary>Wanted and not yet confirmed by SendGrid: retried until done or too late.</summary>
    [JsonStringEnumMemberName("requested")] Requested,
    [JsonStringEnumMemberName("done")] Done,

    /// <summary>SendGrid never confirmed the cancel before every held chunk's send_at came too close: they went out.</summary>
    [JsonStringEnumMemberName("too-late")] TooLate,
}

/// <summary>
/// Where one chunk is. Only <see cref="Claimed"/> and <see cref="Sending"/> are held under a lease; a worker that dies
/// leaves them for the next delivery of the message (or the sweep) to take over.
/// </summary>
public enum ChunkState
{
    /// <summary>Being inspected; nothing has been asked of SendGrid. Safe to take over once the lease ends.</summary>
    [JsonStringEnumMemberName("claimed")] Claimed,

    /// <summary>The SendGrid request is about to be made or under way (attempt id recorded first).</summary>
    [JsonStringEnumMemberName("sending")] Sending,

    /// <summary>SendGrid accepted it (with a hold window: it holds it until send_at).</summary>
    [JsonStringEnumMemberName("sent")] Sent,

    /// <summary>The response was lost: SendGrid may or may not have accepted it. Reconciled through Email Activity.</summary>
    [JsonStringEnumMemberName("unknown")] Unknown,

    /// <summary>SendGrid answered that it did not accept it (429/5xx after retries): the queue's retry may send it.</summary>
    [JsonStringEnumMemberName("not-sent")] NotSent,

    /// <summary>SendGrid refused it for good (a 4xx other than 429): not retried; the reason is kept.</summary>
    [JsonStringEnumMemberName("refused")] Refused,

    /// <summary>Its message failed every attempt and went to the poison queue: not sent.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Halted or contained, unsent; its body is kept. The operator may release or discard it.</summary>
    [JsonStringEnumMemberName("quarantined")] Quarantined,

    /// <summary>Accepted with a hold window, then cancelled before send_at.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,

    [JsonStringEnumMemberName("discarded")] Discarded,
}

public static class ChunkStates
{
    /// <summary>May still reach its recipients, or may have: a halt must wait for these before calling anything contained.</summary>
    public static bool InFlight(this ChunkState s) => s is ChunkState.Claimed or ChunkState.Sending or ChunkState.Unknown or ChunkState.NotSent;

    /// <summary>Never reached anyone and will not unless an operator releases it.</summary>
    public static bool Unsent(this ChunkState s) =>
        s is ChunkState.Quarantined or ChunkState.Cancelled or ChunkState.Discarded or ChunkState.Refused or ChunkState.Failed;
}

/// <summary>The jobs table's job row: the halt switch every chunk checks, and the job's one hold-window batch id.</summary>
public sealed record JobRecord(string JobId)
{
    public JobState State { get; init; } = JobState.Open;
    public string? IncidentId { get; init; }
    public int ChunkCount { get; init; }
    public DateTimeOffset? FirstSentAt { get; init; }
    public DateTimeOffset? HaltedAt { get; init; }

    /// <summary>
    /// What halted the job: the detector (a chunk halted), or a recipient's "not mine" report (the job is paused until
    /// an officer declares the scope or dismisses the report). Null while the job is open.
    /// </summary>
    public IncidentSource? HaltedBy { get; init; }

    /// <summary>SendGrid batch id shared by every held chunk of the job, so that one cancel stops them all.</summary>
    public string? BatchId { get; init; }
    public CancelState Cancel { get; init; }
    public int CancelAttempts { get; init; }
    public DateTimeOffset? NextCancelAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public string? CancelError { get; init; }

    /// <summary>Opaque concurrency token (an ETag): a write conditional on it fails if someone else wrote first.</summary>
    public string? Version { get; init; }
}

/// <summary>The jobs table's row of one chunk: its idempotency record and state.</summary>
public sealed record ChunkRecord(string JobId, int Chunk)
{
    public ChunkState State { get; init; } = ChunkState.Claimed;

    /// <summary>SHA-256 of the message: a redelivery matches it, a reused job id with other content does not.</summary>
    public string Fingerprint { get; init; } = "";
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>Written before each SendGrid request and sent along as a custom arg, so Email Activity can find it.</summary>
    public string? AttemptId { get; init; }
    public DateTimeOffset? AttemptedAt { get; init; }
    public int Attempts { get; init; }

    /// <summary>Email Activity checks of an <see cref="ChunkState.Unknown"/> chunk, and when the next one is due (null: no more).</summary>
    public int Checks { get; init; }
    public DateTimeOffset? NextCheckAt { get; init; }
    public DateTimeOffset? SendAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public int Personalizations { get; init; }
    public int Recipients { get; init; }

    /// <summary>The subject line recipients saw, identifying values masked (<see cref="Core.Detection.Verdict.SafeSubject"/>): delete requests name the mail by it.</summary>
    public string? SafeSubject { get; init; }
    public string? Reason { get; init; }
    public string? Version { get; init; }
}

/// <summary>Work the timer's sweep must come back to: an unknown chunk to reconcile, or a job's cancel to retry.</summary>
public sealed record AttentionFlag(string JobId, int Chunk)
{
    /// <summary>Chunk 0 flags the job itself (its cancel).</summary>
    public const int Job = 0;

    /// <summary>Chunk -1 flags recipients' reports on the job that are not yet acted on (paused, recorded, alerted).</summary>
    public const int Reports = -1;
}
