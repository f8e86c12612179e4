using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MisSend.Application.Model;
using MisSend.Application.Ports;
using MisSend.Core;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Text;

namespace MisSend.Application.Notices;

/// <summary>
/// The mail that tells the privacy officer about recipients' "not mine" reports, in Japanese and English: what the
/// records show (the job paused or not, masked recipients, the parts named) and the console link. Addresses are masked;
/// no name, postal address or amount is in it.
/// </summary>
public sealed class OfficerAlert(IMailSender mail, IOptions<AlertOptions> alerts, IOptions<NoticeSenderOptions> sender)
{
    /// <summary>custom_args key naming the incident an alert is about (recipients never see custom_args; this mail goes to the officer only).</summary>
    public const string AlertArg = "officer_alert";

    private const int MaxListed = 20;

    public bool Configured => !string.IsNullOrWhiteSpace(alerts.Value.OfficerEmail);

    /// <param name="due">The reports this alert is about (not yet in an alert).</param>
    /// <param name="all">Every report of the incident so far.</param>
    public Task<MailResult> SendAsync(IncidentRecord incident, JobRecord? job, IReadOnlyList<NotMineReport> due, IReadOnlyList<NotMineReport> all, CancellationToken ct) =>
        mail.SendAsync(Body(incident, job, due, all), ct);

    /// <summary>The incident's page in the console; null when <see cref="AlertOptions.ConsoleUrl"/> is not set.</summary>
    public string? ConsoleLink(string incidentId) =>
        alerts.Value.ConsoleUrl is { Length: > 0 } console ? $"{console.TrimEnd('/')}/incidents/{Uri.EscapeDataString(incidentId)}" : null;

    public string Body(IncidentRecord incident, JobRecord? job, IReadOnlyList<NotMineReport> due, IReadOnlyList<NotMineReport> all)
    {
        var from = sender.Value;
        var id = incident.IncidentId;
        var text = new StringBuilder()
            .AppendLine($"受信者から「このメールは私宛てではありません」との申告がありました（新たに {due.Count} 件、累計 {all.Count} 件）。")
            .AppendLine($"Recipients reported a mail as not meant for them ({due.Count} new, {all.Count} in all).")
            .AppendLine()
            .AppendLine($"インシデント / Incident: {id} ({StoredName.Of(incident.Kind)}, {StoredName.Of(incident.Status)})")
            .AppendLine($"送信ジョブ / Send job: {incident.JobId}")
            .AppendLine($"ジョブの状態 / Job: {JobState(job)}")
            .AppendLine()
            .AppendLine("申告 / Reports:");
        foreach (var r in due.OrderBy(r => r.ReportedAt).Take(MaxListed))
        {
            var recipients = r.Suspected.Select(s => s.Recipient).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var parts = r.Parts.Count == 0 ? "-" : string.Join(", ", r.Parts.Select(StoredName.Of));
            text.AppendLine($"- {Japan(r.ReportedAt)}: chunk {r.Chunk}, personalization {r.Personalization}, "
                + $"{(recipients.Count == 0 ? "recipient not in the ledger" : Mask.List(recipients))}; parts / 項目: {parts}");
        }

        if (due.Count > MaxListed)
        {
            text.AppendLine($"- … {due.Count - MaxListed} more / ほか {due.Count - MaxListed} 件");
        }

        text.AppendLine()
            .AppendLine("申告だけでは誰にも通知しません。範囲を確定する（detector incident scope …）か、申告を却下してください（detector incident dismiss …）。")
            .AppendLine("A report alone notifies nobody. Declare the scope (detector incident scope …) or dismiss the reports (detector incident dismiss …).")
            .AppendLine()
            .AppendLine(ConsoleLink(id) is { } link ? $"コンソール / Console: {link}" : $"コンソール / Console: {id} (Alerts:ConsoleUrl is not set)");

        return new JsonObject
        {
            ["from"] = new JsonObject { ["email"] = from.FromAddress, ["name"] = from.FromDisplayName },
            ["personalizations"] = new JsonArray(new JsonObject { ["to"] = new JsonArray(new JsonObject { ["email"] = alerts.Value.OfficerEmail }) }),
            ["subject"] = $"【要確認】受信者からの「自分宛てではない」申告 {id} / Recipient report: mail not meant for them",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text/plain", ["value"] = text.ToString() }),
            ["custom_args"] = new JsonObject { [AlertArg] = id },
            ["categories"] = new JsonArray("mis-send-alert"),
            // Click tracking would rewrite the console link.
            ["tracking_settings"] = new JsonObject { ["click_tracking"] = new JsonObject { ["enable"] = false, ["enable_text"] = false } },
        }.ToJsonString();
    }

    private static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9);

    private static string Japan(DateTimeOffset at) => at.ToOffset(JapanOffset).ToString("yyyy-MM-dd HH:mm:ss 'JST'", System.Globalization.CultureInfo.InvariantCulture);

    private static string JobState(JobRecord? job) => job switch
    {
        { State: Model.JobState.Halted, HaltedBy: IncidentSource.RecipientReport } =>
            $"一時停止中：未送信の分割送信は保留 / paused: chunks not yet sent are held{Cancel(job)}",
        { State: Model.JobState.Halted } => $"検知により停止済み / already halted by the detector{Cancel(job)}",
        _ => "送信済み：止めるものはありません / finished before the report: nothing left to pause",
    };

    private static string Cancel(JobRecord job) => job.Cancel switch
    {
        CancelState.Requested => "; 予約送信の取消を要求中 / cancel of scheduled sends requested",
        CancelState.Done => "; 予約送信を取消済み / scheduled sends cancelled",
        CancelState.TooLate => "; 予約送信の取消は間に合わず / cancel of scheduled sends came too late",
        _ => "",
    };
}
