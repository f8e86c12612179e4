using System.ComponentModel.DataAnnotations;

namespace MisSend.Azure.Configuration;

/// <summary>Names of the storage resources the pipeline uses. The defaults are what infra/ provisions.</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>App setting read by the queue trigger as <c>%OutboundQueueName%</c>.</summary>
    public const string OutboundQueueSetting = "OutboundQueueName";

    /// <summary>App setting read by the notice timer as <c>%NoticeSchedule%</c>.</summary>
    public const string NoticeScheduleSetting = "NoticeSchedule";

    public const string DefaultOutboundQueue = "outbound-batches";
    public const string DefaultNoticeSchedule = "0 */1 * * * *";

    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string OutboundQueue { get; set; } = DefaultOutboundQueue;

    /// <summary>The Functions host moves a message here after maxDequeueCount failures.</summary>
    public string PoisonQueue => OutboundQueue + "-poison";

    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string JobsTable { get; set; } = "MisSendJobs";

    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string LedgerTable { get; set; } = "MisSendLedger";

    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string IncidentsTable { get; set; } = "MisSendIncidents";

    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string NoticesTable { get; set; } = "MisSendNotices";

    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string QuarantineContainer { get; set; } = "quarantine";

    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string ClaimCheckContainer { get; set; } = "claim-check";

    /// <summary>Largest batch body accepted, inline or by claim-check (SendGrid itself caps a request at 30 MB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 30 * 1024 * 1024;

    public string NoticeSchedule { get; set; } = DefaultNoticeSchedule;
}
