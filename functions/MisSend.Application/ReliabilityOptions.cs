using System.ComponentModel.DataAnnotations;

namespace MisSend.Application;

/// <summary>How the pipeline waits for what it cannot know at once. Section "Reliability".</summary>
public sealed class ReliabilityOptions
{
    public const string SectionName = "Reliability";

    /// <summary>How long a claimed chunk is its worker's: longer than a SendGrid call with all its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan ChunkLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Email Activity lists an accepted mail only after a while. An empty answer is read as "not accepted" (and the
    /// mail sent again) only this long after the attempt; before that the answer is "unknown, ask again".
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ActivityIndexingLag { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>First wait before asking Email Activity again (or retrying a cancel); it doubles up to <see cref="MaxRecheckDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RecheckDelay { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRecheckDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>SendGrid cancels a scheduled send only until this long before its send_at.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CancelMargin { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The n-th wait (0-based) of the back-off.</summary>
    public TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxRecheckDelay.Ticks, RecheckDelay.Ticks * (1L << Math.Clamp(attempt, 0, 20))));
}

/// <summary>Limits of what the queue trigger accepts. Section "Pipeline" (with the storage names).</summary>
public sealed class InspectionOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>Largest batch body accepted, inline or by claim-check (SendGrid itself caps a request at 30 MB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 30 * 1024 * 1024;
}
