namespace MisSend.Azure.Pipeline;

public enum InspectionOutcome
{
    /// <summary>Passed and accepted by SendGrid; recorded in the ledger.</summary>
    Sent,

    /// <summary>A redelivery of a chunk that was handled before: nothing sent again.</summary>
    Duplicate,

    /// <summary>Found in "sending" on redelivery: not re-sent (at most once); recorded as unconfirmed for the operator.</summary>
    Unconfirmed,

    /// <summary>This chunk leaked: quarantined, the job halted, an incident opened.</summary>
    Halted,

    /// <summary>Another chunk halted the job: this one is quarantined unsent.</summary>
    Contained,

    /// <summary>Not a batch (malformed, oversized, unknown): quarantined with its reason, never retried.</summary>
    Rejected,
}

public sealed record InspectionResult(InspectionOutcome Outcome, string JobId, int Chunk, string? IncidentId = null, string? Reason = null);
