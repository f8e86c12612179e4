using MisSend.Core.Detection;

namespace MisSend.Application.Pipeline;

public enum InspectionOutcome
{
    /// <summary>Passed and accepted by SendGrid.</summary>
    Sent,

    /// <summary>A redelivery of a chunk already handled: nothing sent again.</summary>
    Duplicate,

    /// <summary>SendGrid's answer was lost: not sent again until Email Activity settles it (the timer's sweep does).</summary>
    Unknown,

    /// <summary>This chunk leaked: quarantined, the job halted, an incident opened.</summary>
    Halted,

    /// <summary>Another chunk halted the job: this one is quarantined unsent.</summary>
    Contained,

    /// <summary>Not a batch we may send (malformed, oversized, unsafe pointer, reused job id): set aside with its reason, never retried.</summary>
    Rejected,

    /// <summary>SendGrid refused it for good (a 4xx other than 429): recorded with the reason, not retried.</summary>
    Refused,
}

public sealed record InspectionResult(
    InspectionOutcome Outcome,
    string JobId,
    int Chunk,
    string? IncidentId = null,
    string? Reason = null,
    IReadOnlyList<Finding>? Findings = null);

/// <summary>Another worker holds the chunk's lease: the message is retried later.</summary>
public sealed class ChunkBusyException(string jobId, int chunk)
    : Exception($"job {jobId} chunk {chunk} is being handled by another worker; retried later");

/// <summary>SendGrid answered that it did not take the chunk (429/5xx after retries): the queue retries the message.</summary>
public sealed class SendNotAcceptedException(string jobId, int chunk, int? status, string? detail)
    : Exception($"job {jobId} chunk {chunk}: SendGrid did not accept it ({status?.ToString() ?? "no connection"}){(detail is null ? "" : ": " + detail)}; the queue will retry")
{
    public int? Status { get; } = status;
}
