using System.ComponentModel.DataAnnotations;

namespace MisSend.Azure.Configuration;

/// <summary>Names of the storage resources the pipeline uses. The defaults are what infra/ provisions.</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>App setting read by the queue trigger as <c>%OutboundQueueName%</c> (and by the poison trigger).</summary>
    public const string OutboundQueueSetting = "OutboundQueueName";

    /// <summary>App setting read by the notice timer as <c>%NoticeSchedule%</c>.</summary>
    public const string NoticeScheduleSetting = "NoticeSchedule";

    public const string DefaultOutboundQueue = "outbound-batches";
    public const string DefaultNoticeSchedule = "0 */1 * * * *";

    /// <summary>What the Functions host appends to a queue's name for its poison queue.</summary>
    public const string PoisonSuffix = "-poison";

    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string OutboundQueue { get; set; } = DefaultOutboundQueue;

    /// <summary>The Functions host moves a message here after maxDequeueCount failures.</summary>
    public string PoisonQueue => OutboundQueue + PoisonSuffix;

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

    public string NoticeSchedule { get; set; } = DefaultNoticeSchedule;
}
