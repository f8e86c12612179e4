namespace MisSend.Application.Pipeline;

/// <summary>Why a chunk was quarantined unsent when nothing was found in it: the job was stopped before it could go out.</summary>
public static class ContainedReason
{
    public const string Halted = "the job was halted by another chunk";

    /// <summary>Held "as reported": released by the officer's dismissal of the report, or through the quarantine.</summary>
    public const string Reported = "reported: the job is paused by a recipient's \"not mine\" report until an officer declares the scope or dismisses the report";
}
