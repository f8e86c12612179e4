using MisSend.Core;
using MisSend.Application.Console;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Application.Pipeline;
using MisSend.Core.Detection;
using MisSend.Core.Text;
using static MisSend.Functions.Console.ConsoleHtml;

namespace MisSend.Functions.Console;

/// <summary>The console's pages, rendered on the server from what <see cref="ConsoleQueries"/> read. Addresses appear masked only.</summary>
public static class ConsolePages
{
    public static string Incidents(ConsoleRequest c, IReadOnlyList<IncidentSummary> incidents) =>
        Table(
            [c.T("Incident", "インシデント"), c.T("Job", "ジョブ"), c.T("Source", "起点"), c.T("State", "状態"), c.T("Opened", "開始"),
             c.T("Data subjects", "本人"), c.T("Wrong recipients", "誤受信者"), c.T("Quarantined chunks", "隔離中"), c.T("Notices sent", "通知送信済み"), c.T("Deleted unread", "未開封削除の確認"),
             c.T("\"Not mine\" reports", "「私宛てではない」申告")],
            incidents.Select(i => new[]
            {
                Link(i.Incident.IncidentId, "incidents", i.Incident.IncidentId), E(i.Incident.JobId), State(c, StoredName.Of(i.Incident.Source)),
                State(c, StoredName.Of(i.Incident.Status)), Time(c, i.Incident.OpenedAt), Count(c, i.DataSubjects), Count(c, i.WrongRecipients), $"{i.ChunksQuarantined}",
                $"{i.Notices.Apologies.Sent + i.Notices.DeleteRequests.Sent} / {i.Notices.Apologies.Total + i.Notices.DeleteRequests.Total}", $"{i.Notices.ConfirmedDeletedUnread}",
                i.NotMineReports.Count == 0 ? "—" : $"{i.NotMineReports.Count} ({c.T("last", "最新")} {Time(c, i.NotMineReports[^1].ReportedAt)})",
            }),
            c.T("No incidents yet.", "インシデントはまだありません。"))
        + $"<h2>{E(c.T("Open an incident for a job already sent", "送信済みジョブのインシデントを開く"))}</h2>"
        + $"<p>{E(c.T("For a leak the detector did not stop (customers phoned in). The incident opens as reported, its scope under investigation: nobody is notified until you declare on its page who received whose data.", "検知をすり抜けた漏えい（お客様からの連絡など）の場合。「お客様からの連絡」の事案として開き、範囲は調査中となります。事案のページで誰が誰のデータを受け取ったかを登録するまで、通知は送りません。"))}</p>"
        + Form(c, Path("incidents"),
            $"<label>{E(c.T("Job id", "ジョブID"))} <input type=\"text\" name=\"jobId\" required></label>"
            + $"<label>{E(c.T("What happened, in a sentence", "何が起きたか（一文で）"))} <input type=\"text\" name=\"reason\" required></label>",
            c.T("Open incident", "インシデントを開く"), "open-incident");

    public static string Incident(ConsoleRequest c, IncidentView v)
    {
        var i = v.Summary.Incident;
        var n = v.Summary.Notices;
        var reached = v.Snapshot.Attribution.Reached;
        var summary = Table([c.T("Item", "項目"), c.T("Record", "記録")],
        [
            [E(c.T("Job", "ジョブ")), E(i.JobId)],
            [E(c.T("Source", "起点")), State(c, StoredName.Of(i.Source))],
            [E(c.T("State", "状態")), State(c, StoredName.Of(i.Status))],
            [E(c.T("Opened", "開始")), Time(c, i.OpenedAt)],
            [E(c.T("Reason", "理由")), E(i.Source == Core.Incidents.IncidentSource.Detector ? Rules(c, i.Reason) : i.Reason ?? "—")],
            [E(c.T("Data subjects whose data reached others", "データが他人に届いた本人")), Count(c, v.Summary.DataSubjects)],
            [E(c.T("Wrong recipients", "誤受信者")), Count(c, v.Summary.WrongRecipients)],
            [E(c.T("Data categories", "個人データの項目")), Categories(c, reached.SelectMany(e => e.Categories))],
            [E(c.T("Still settling", "確定待ち")), E(v.Snapshot.Attribution.Settled ? c.T("nothing", "なし") : c.T(
                $"{v.Snapshot.Attribution.InFlight.Count} chunks in flight, {v.Snapshot.Attribution.Pending.Count} exposures not yet known{(v.Snapshot.Attribution.CancelPending ? ", a cancel still wanted" : "")}",
                $"送信中 {v.Snapshot.Attribution.InFlight.Count} 件、未確定の送付 {v.Snapshot.Attribution.Pending.Count} 件{(v.Snapshot.Attribution.CancelPending ? "、取消待ちあり" : "")}"))],
        ]);

        string Row(string kind, NoticeTally t) => $"<tr><th>{E(kind)}</th><td>{t.ToDo}</td><td>{t.Sending}</td><td>{t.Sent}</td><td>{t.Pending}</td><td>{t.Unknown}</td><td>{t.Failed}</td></tr>";
        var notices = $"<table class=\"notices\"><thead><tr><th></th><th>{E(c.T("to do", "未着手"))}</th><th>{E(c.T("sending", "送信中"))}</th><th>{E(c.T("sent", "送信済み"))}</th>"
            + $"<th>{E(c.T("pending (retry)", "再送待ち"))}</th><th>{E(c.T("unknown", "不明"))}</th><th>{E(c.T("failed", "失敗"))}</th></tr></thead><tbody>"
            + Row(c.T("Apologies to data subjects", "本人へのお詫び"), n.Apologies) + Row(c.T("Delete requests to wrong recipients", "誤受信者への削除依頼"), n.DeleteRequests)
            + $"</tbody></table><p>{E(c.T($"Confirmed deleted unread: {n.ConfirmedDeletedUnread} of {n.DeleteRequests.Total} wrong recipients. Notice waves: {n.Waves}.", $"未開封削除の確認: 誤受信者 {n.DeleteRequests.Total} 人中 {n.ConfirmedDeletedUnread} 人。通知の送信回数: {n.Waves} 回。"))}</p>";

        var exposures = Table([c.T("Chunk", "回"), c.T("Recipient", "受信者"), c.T("Whose data", "誰のデータ"), c.T("Items", "項目")],
            reached.Take(100).Select(e => new[] { $"{e.Chunk}", E(Mask.Email(e.Recipient)), E(e.SubjectEmail is null ? c.T("unknown address", "連絡先不明") : Mask.Email(e.SubjectEmail)), Categories(c, e.Categories) }),
            c.T("No personal data reached anyone according to the records.", "記録上、個人データは誰にも届いていません。"));

        var timeline = new List<(DateTimeOffset At, string[] Cells)>();
        if (v.Snapshot.Job?.FirstSentAt is { } first)
        {
            timeline.Add((first, [Time(c, first), State(c, "sent"), E(c.T("first chunk of the job sent", "ジョブの最初の送信")), ""]));
        }

        timeline.AddRange(v.Events.Select(e => (e.At, new[] { Time(c, e.At), State(c, StoredName.Of(e.Kind)), E(EventDetail(c, e)), E(e.Who) })));
        timeline.AddRange(v.Waves.Select(w => (w.AttemptedAt, new[]
        {
            Time(c, w.AttemptedAt), State(c, StoredName.Of(w.State)),
            E(c.T($"notice wave: {w.Count} {(w.Kind == Core.Notices.NoticeKind.Apology ? "apologies" : "delete requests")} ({w.Language}){(w.Reason is null ? "" : ": " + w.Reason)}",
                  $"通知: {(w.Kind == Core.Notices.NoticeKind.Apology ? "お詫び" : "削除依頼")} {w.Count} 通（{w.Language}）{(w.Reason is null ? "" : "：" + w.Reason)}")),
            "notice-timer",
        })));

        var findings = Table([c.T("Chunk", "回"), c.T("Finding", "検知内容"), c.T("Detail (masked)", "詳細（検知エンジンの記録のまま英語、マスク済み）"), c.T("People", "人数"), c.T("Items", "項目")],
            v.Findings.SelectMany(f => f.Findings.Select(x => new[] { $"{f.Chunk}", Rule(c, x.Rule), E(x.Detail), $"{x.People}", Categories(c, x.Categories) })),
            c.T("No findings recorded.", "検知記録はありません。"));

        var chunks = Table([c.T("Chunk", "回"), c.T("State", "状態"), c.T("Sent", "送信"), c.T("Reason", "理由")],
            v.Snapshot.Chunks.Select(ch => new[] { $"{ch.Chunk}", State(c, StoredName.Of(ch.State)), Time(c, ch.SentAt), E(ChunkReason(c, ch.Reason)) }));

        var id = i.IncidentId;
        var downloads = $"<p class=\"downloads\">{E(c.T("Download the report:", "報告書のダウンロード:"))} "
            + $"<a href=\"{E(Path("incidents", id, "report"))}?lang=ja&amp;format=md\" download>Markdown（日本語）</a> · "
            + $"<a href=\"{E(Path("incidents", id, "report"))}?lang=en&amp;format=md\" download>Markdown (English)</a> · "
            + $"<a href=\"{E(Path("incidents", id, "report"))}?lang=ja&amp;format=json\" download>JSON</a></p>";

        return summary
            + $"<h2>{E(c.T("Notice progress", "通知の進捗"))}</h2>{notices}"
            + NotMineReports(c, v)
            + $"<h2>{E(c.T("Scope: who received whose data", "範囲: 誰が誰のデータを受け取ったか"))}</h2>{exposures}"
            + $"<h2>{E(c.T("Timeline", "経緯"))}</h2>"
            + Table([c.T("When", "日時"), c.T("Event", "出来事"), c.T("Detail", "内容"), c.T("Who", "実施者")], timeline.OrderBy(t => t.At).Select(t => t.Cells))
            + $"<h2>{E(c.T("What the detector found", "検知内容"))}</h2>{findings}"
            + $"<h2>{E(c.T("Chunks of the job", "ジョブの送信単位"))}</h2>{chunks}"
            + (i.Kind == Core.Incidents.IncidentKind.Reported ? ScopeForm(c, i) : "")
            + (v.Summary.ChunksQuarantined > 0 ? $"<p>{Link(c.T("Release or discard the quarantined chunks", "隔離中の送信を解除・破棄する"), "quarantine")}</p>" : "")
            + $"<h2>{E(c.T("Incident report", "インシデント報告書"))}</h2>{downloads}";
    }

    /// <summary>A reported incident's scope is the operator's statement: the same three forms as the CLI and the HTTP route.</summary>
    private static string ScopeForm(ConsoleRequest c, IncidentRecord i) =>
        $"<h2>{E(c.T("Declare the scope", "範囲の登録"))}</h2><p>{E(i.Declarations.Count == 0
            ? c.T("Under investigation: nobody is notified until you declare who received whose data.", "調査中です。誰が誰のデータを受け取ったかを登録するまで、誰にも通知しません。")
            : i.NoticesStarted
                ? c.T("Declared, and notices have gone out: a new declaration adds to the scope, it never removes anyone already told.", "登録済みで、通知を送り始めています。新しい登録は範囲に追加され、既に通知した方を外すことはありません。")
                : c.T("Declared; no notice has gone out yet: a new declaration replaces it.", "登録済みです。まだ通知していないため、新しい登録で置き換わります。"))}</p>"
        + Form(c, Path("incidents", i.IncidentId, "scope"),
            $"<label><input type=\"radio\" name=\"mode\" value=\"everyone\" checked> {E(c.T("Every recipient of the job received every personalization's data", "ジョブの全受信者が、全員分のデータを受け取った"))}</label>"
            + $"<label><input type=\"radio\" name=\"mode\" value=\"shifted\"> {E(c.T("Rows shifted: row i's recipient received row i+k's data; k =", "行ずれ: i行目の受信者が i+k 行目のデータを受け取った。k ="))} <input type=\"number\" name=\"shifted\" value=\"1\"></label>"
            + $"<label>{E(c.T("… only these data categories (ids, comma-separated; empty: all the shifted rows hold)", "…このうち次の項目のみ（ID をカンマ区切り。空欄: ずれた行のすべての項目）"))} <input type=\"text\" name=\"categories\"></label>"
            + $"<label><input type=\"radio\" name=\"mode\" value=\"list\"> {E(c.T("A CSV list: a header line recipient,subject[,categories], then one line per pair", "CSV 一覧: 見出し行 recipient,subject[,categories] の後に1行に1組"))}</label>"
            + "<textarea name=\"list\" rows=\"5\" cols=\"70\"></textarea>",
            c.T("Declare the scope", "範囲を登録する"), "declare-scope");

    public static string ScopeErrors(ConsoleRequest c, ScopeDeclarationResult result) =>
        Message(c, result.Message ?? c.T("The declaration was not applied.", "登録しませんでした。"))
        + $"<ul class=\"errors\">{string.Concat(result.Errors.Select(e => $"<li>{E(e.Message(c.Language))}</li>"))}</ul>";

    /// <summary>
    /// Recipients' "not mine" reports with when, which mail and the parts they named (recipients masked), and, while the
    /// scope is under investigation, the officer's choice: declare the scope (the form below, CLI, HTTP) or dismiss the reports here.
    /// </summary>
    private static string NotMineReports(ConsoleRequest c, IncidentView v)
    {
        var reports = v.Summary.NotMineReports;
        if (reports.Count == 0)
        {
            return "";
        }

        var i = v.Summary.Incident;
        var rows = Table([c.T("Reported", "申告日時"), c.T("Chunk", "回"), c.T("Personalization", "差し込み"), c.T("Recipient", "受信者"), c.T("Whose data (suspected)", "誰のデータ（疑い）"),
                c.T("Parts not theirs", "本人のものではない項目"), c.T("Officer alerted", "担当者への通知")],
            reports.Select(r => new[]
            {
                Time(c, r.ReportedAt), $"{r.Chunk}", $"{r.Personalization + 1}",
                E(r.Suspected.Count == 0 ? c.T("not acted on yet", "処理待ち") : Mask.List(r.Suspected.Select(s => s.Recipient).Distinct())),
                E(string.Join(", ", r.Suspected.Where(s => !s.Recipient.Equals(s.SubjectEmail, StringComparison.OrdinalIgnoreCase))
                    .Select(s => s.SubjectEmail is null ? c.T("unknown address", "連絡先不明") : Mask.Email(s.SubjectEmail)).Distinct()) is { Length: > 0 } whose ? whose : "—"),
                E(r.Parts.Count == 0 ? "—" : string.Join(c.T(", ", "、"), r.Parts.Select(p => PartName(c, p)))),
                Time(c, r.AlertedAt),
            }));
        var dismissable = i.Kind == Core.Incidents.IncidentKind.Reported && i.Declarations.Count == 0 && v.Findings.Count == 0 && i.Status != IncidentStatus.Dismissed;
        return $"<h2>{E(c.T("\"Not mine\" reports from recipients", "受信者からの「私宛てではない」申告"))}</h2>"
            + $"<p>{E(c.T($"{reports.Count} recipients reported a mail of this job as not meant for them. Each is a suspected exposure: nobody is notified on a report alone.",
                $"受信者 {reports.Count} 人から、このジョブのメールが自分宛てではないとの申告がありました。いずれも漏えいの疑いであり、申告だけでは誰にも通知しません。"))}</p>"
            + rows
            + (dismissable
                ? $"<p>{E(c.T($"Confirm the scope (the form below, detector incident scope {i.IncidentId} …, or POST /api/incidents/{i.IncidentId}/scope): the notices follow. Or dismiss the reports: the job resumes, and its held chunks are re-inspected and sent.",
                    $"範囲を確定する（下の「範囲の登録」、detector incident scope {i.IncidentId} … または POST /api/incidents/{i.IncidentId}/scope）と通知が送られます。申告を却下すると、ジョブを再開し、保留中の分割送信を再検査のうえ送信します。"))}</p>"
                    + Form(c, Path("incidents", i.IncidentId, "dismiss"),
                        $"<label>{E(c.T("Why the reports are unfounded (recorded)", "申告を却下する理由（記録されます）"))} <input type=\"text\" name=\"reason\" required></label>",
                        c.T("Dismiss the reports and resume the job", "申告を却下してジョブを再開する"), "dismiss")
                : "");
    }

    private static string PartName(ConsoleRequest c, Core.Incidents.NotMinePart part) => part switch
    {
        Core.Incidents.NotMinePart.Name => c.T("name", "氏名"),
        Core.Incidents.NotMinePart.Address => c.T("address", "住所"),
        Core.Incidents.NotMinePart.Amount => c.T("amount", "金額"),
        _ => c.T("other", "その他"),
    };

    public static string Dismissed(ConsoleRequest c, DismissResult d, string incidentId) =>
        $"<p class=\"{(d.Outcome is DismissOutcome.Dismissed or DismissOutcome.AlreadyDismissed ? "pass" : "halt")}\">{E(c.T(d.Message, d.Outcome switch
        {
            DismissOutcome.Dismissed => "申告を却下し、ジョブを再開しました。",
            DismissOutcome.AlreadyDismissed => "申告は既に却下されています。",
            DismissOutcome.NotFound => "該当するインシデントはありません。",
            _ => "却下できませんでした。",
        }))}</p>"
        + EnglishRecord(c, d.Message)
        + (d.Released.Count == 0 ? ""
            : Table([c.T("Chunk", "回"), c.T("Result", "結果")], d.Released.Select(r => new[]
            {
                $"{r.Chunk}", $"<span class=\"{(r.Decision.Done ? "pass" : "halt")}\">{E(c.T(r.Decision.Message, r.Decision.Done ? "再検査のうえ送信" : $"送信せず（{r.Decision.Message}）"))}</span>",
            })))
        + $"<p>{Link(c.T($"Incident {incidentId}", $"インシデント {incidentId}"), "incidents", incidentId)} · {Link(c.T("Jobs", "送信ジョブ"), "jobs")}</p>";

    /// <summary>The detector's rule ids as the rules' names.</summary>
    private static string Rules(ConsoleRequest c, string? ids) =>
        ids is null ? "—" : string.Join(c.T(", ", "、"), ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(id => RuleCatalog.Get(id).Title(c.Language)));

    /// <summary>A chunk's reason in the page's language where the system wrote it; SendGrid's and operators' words as given.</summary>
    private static string ChunkReason(ConsoleRequest c, string? reason) => reason switch
    {
        null => "",
        _ when c.English => reason,
        ContainedReason.Halted => "ほかの分割送信でジョブが停止したため保留",
        ContainedReason.Reported => "受信者の「私宛てではない」申告でジョブを一時停止中（担当者が範囲を確定するか申告を却下するまで）",
        _ when reason.StartsWith("halted: ", StringComparison.Ordinal) => "送信前検査で停止: " + Rules(c, reason["halted: ".Length..]),
        _ => reason,
    };

    /// <summary>
    /// One timeline entry in the page's language. The system's own record is English; in Japanese it is worded from the
    /// event's kind, chunk and count. The operator's own words are shown as they were given.
    /// </summary>
    private static string EventDetail(ConsoleRequest c, IncidentEvent e)
    {
        var said = e.Reason is null ? "" : c.T($" (\"{e.Reason}\")", $"（「{e.Reason}」）");
        if (c.English)
        {
            return e.Detail + said;
        }

        var (n, count) = (e.Chunk, e.Count);
        var words = e.Kind switch
        {
            IncidentEventKind.Opened => e.Detail switch
            {
                "detector" => "送信前検査での検知により登録",
                "operator" => "担当者が登録",
                "recipient-report" => "受信者の申告により登録",
                _ => e.Detail,
            },
            IncidentEventKind.Halted => $"第{n}回の送信前検査でジョブを停止",
            IncidentEventKind.ChunkContained => $"第{n}回を未送信のまま保留",
            IncidentEventKind.ReleaseDecision => $"停止中のジョブの第{n}回の送信を決定",
            IncidentEventKind.ChunkReleased => $"第{n}回を再検査のうえ送信",
            IncidentEventKind.ReleaseFailed => $"第{n}回の解除による送信を送信事業者が受け付けず（隔離中のまま）",
            IncidentEventKind.ChunkDiscarded => $"第{n}回を破棄",
            IncidentEventKind.ChunkResolved => $"第{n}回を送信事業者が受け付けていたことを確認",
            IncidentEventKind.ChunkNotAccepted => $"第{n}回を送信事業者が受け付けていなかったことを確認（再度送信）",
            IncidentEventKind.ChunkUnknown => $"第{n}回: 送信事業者の応答がなく、受け付けられたかどうか不明",
            IncidentEventKind.ChunkFailed => $"第{n}回を送信できず",
            IncidentEventKind.CancelDone => "予約済みの送信を取り消し",
            IncidentEventKind.CancelFailed => "予約の取消を送信事業者が確認せず（再試行）",
            IncidentEventKind.CancelTooLate => $"第{n}回は送信予定時刻に近く取り消せず、送信されたものとして扱う",
            IncidentEventKind.StatusChanged => $"状態: {Gloss(e.Detail)}",
            IncidentEventKind.WaveUnknown => $"通知{count}通の送信結果が不明（Email Activity で確認）",
            IncidentEventKind.WaveFailed => $"通知{count}通を送信事業者が受け付けず（再送しない）",
            IncidentEventKind.KindChanged => "事案の種別をヒヤリハットから漏えいに変更",
            IncidentEventKind.ScopeDeclared => "範囲を登録",
            IncidentEventKind.RecordsUpdated => "報告書の記載事項を記録",
            IncidentEventKind.NotMineReported => $"第{n}回のメールについて、受信者から「私宛てではない」との申告",
            IncidentEventKind.ReportDismissed => "受信者の申告を却下し、ジョブを再開",
            IncidentEventKind.OfficerAlerted => $"担当者に申告{count}件をメールで通知",
            IncidentEventKind.OfficerAlertFailed => "担当者へのメール通知を送信事業者が受け付けず（再試行）",
            _ => e.Detail,
        };
        return words + said;
    }

    public static string Report(string markdown) => $"<pre class=\"report\">{E(markdown)}</pre>";

    public static string Jobs(ConsoleRequest c, IReadOnlyList<JobView> jobs) =>
        Table([c.T("Job", "ジョブ"), c.T("State", "状態"), c.T("Incident", "インシデント"), c.T("First sent", "最初の送信"), c.T("Halted", "停止"), c.T("Chunks", "送信単位")],
            jobs.Select(j => new[]
            {
                E(j.Job.JobId), State(c, StoredName.Of(j.Job.State)), j.Job.IncidentId is { } inc ? Link(inc, "incidents", inc) : "—", Time(c, j.Job.FirstSentAt), Time(c, j.Job.HaltedAt),
                string.Join(" ", j.Chunks.Select(ch => $"<span class=\"chunk\">{ch.Chunk}/{Math.Max(j.Job.ChunkCount, j.Chunks.Count)} {State(c, StoredName.Of(ch.State))}</span>")),
            }),
            c.T("No jobs yet.", "送信ジョブはまだありません。"));

    public static string Quarantine(ConsoleRequest c, IReadOnlyList<QuarantinedChunkView> chunks) =>
        chunks.Count == 0
            ? $"<p class=\"empty\">{E(c.T("Nothing is quarantined.", "隔離中の送信はありません。"))}</p>"
            : string.Concat(chunks.Select(q => Chunk(c, q)));

    private static string Chunk(ConsoleRequest c, QuarantinedChunkView q)
    {
        var (jobId, number) = (q.Chunk.JobId, q.Chunk.Chunk);
        var why = q.Findings.Count > 0
            ? Table([c.T("Finding", "検知内容"), c.T("Detail (masked)", "詳細（マスク済み）"), c.T("People", "人数"), c.T("Items", "項目")],
                q.Findings.Select(f => new[] { Rule(c, f.Rule), E(f.Detail), $"{f.People}", Categories(c, f.Categories) }))
            : $"<p>{E(c.T("Held back unsent because its job was halted", "ジョブの停止により未送信のまま保留"))}{(q.Chunk.Reason is { } r ? ": " + E(r) : "")}</p>";
        return $"<section class=\"card\" id=\"{E($"{jobId}-{number}")}\"><h2>{E(c.T($"Job {jobId}, chunk {number}", $"ジョブ {jobId} の {number} 回目"))}</h2>"
            + $"<p>{E(q.Chunk.Personalizations > 0
                ? c.T($"{q.Chunk.Personalizations} personalizations, {q.Chunk.Recipients} recipients.", $"差し込み {q.Chunk.Personalizations} 件、宛先 {q.Chunk.Recipients} 人。")
                : c.T("Not inspected yet: held back before its inspection (re-inspect to see its recipients).", "未検査: 検査前に保留されました（再検査で宛先数が分かります）。"))} "
            + (q.Job?.IncidentId is { } inc ? Link(c.T($"Incident {inc}", $"インシデント {inc}"), "incidents", inc) : "") + "</p>"
            + why
            + Form(c, Path("jobs", jobId, "chunks", $"{number}", "preview"), PolicyFields(c, null, null), c.T("Re-inspect for release", "解除のために再検査する"), "preview")
            + DiscardForm(c, jobId, number)
            + "</section>";
    }

    public static string Preview(ConsoleRequest c, ReleasePreview p, string? internalDomains, string? personalFields)
    {
        if (p.Error is not null)
        {
            return $"<p class=\"message\">{E(p.Error)}</p><p>{Link(c.T("Back to the quarantine", "隔離一覧に戻る"), "quarantine")}</p>";
        }

        var head = p.Passes
            ? $"<p class=\"pass\">{E(c.T("Re-inspected now: it passes. Nothing has been sent yet.", "再検査の結果: 送信可能です。まだ何も送信していません。"))}</p>"
            : $"<p class=\"halt\">{E(c.T("Re-inspected now: it still halts. It cannot be released as it is.", "再検査の結果: まだ停止対象です。このままでは解除できません。"))}</p>"
                + Table([c.T("Finding", "検知内容"), c.T("Detail (masked)", "詳細（マスク済み）"), c.T("People", "人数"), c.T("Items", "項目")],
                    p.Findings.Select(f => new[] { Rule(c, f.Rule), E(f.Detail), $"{f.People}", Categories(c, f.Categories) }));
        var facts = $"<p>{E(c.T($"{p.Personalizations} personalizations, {p.Recipients} recipients.", $"差し込み {p.Personalizations} 件、宛先 {p.Recipients} 人。"))}"
            + (p.JobHalted ? " " + E(c.T("The job is halted: releasing this chunk is your decision, recorded in the incident with your name.", "ジョブは停止中です。この送信の解除はあなたの判断として、氏名とともにインシデントに記録されます。")) : "") + "</p>";
        var confirm = p.Passes
            ? Form(c, Path("jobs", p.JobId, "chunks", $"{p.Chunk}", "release"),
                Hidden("internalDomains", internalDomains) + Hidden("personalFields", personalFields)
                + $"<label>{E(c.T("Why it is safe to send (recorded)", "送信してよい理由（記録されます）"))} <input type=\"text\" name=\"reason\" required></label>",
                c.T("Send it now", "送信する"), "release")
            : Form(c, Path("jobs", p.JobId, "chunks", $"{p.Chunk}", "preview"), PolicyFields(c, internalDomains, personalFields), c.T("Re-inspect again", "もう一度再検査する"), "preview");
        return head + facts + confirm + DiscardForm(c, p.JobId, p.Chunk) + $"<p>{Link(c.T("Back to the quarantine", "隔離一覧に戻る"), "quarantine")}</p>";
    }

    /// <summary>The outcome of a release or discard; in Japanese it is said in words, with the service's own (English) message kept below it.</summary>
    public static string Decision(ConsoleRequest c, ChunkDecision d, string jobId, int chunk, string? incidentId, string action) =>
        $"<p class=\"{(d.Done ? "pass" : "halt")}\">{E(c.T(d.Message, $"ジョブ {jobId} の第{chunk}回を{action}{(d.Done ? "しました" : "できませんでした")}。"))}</p>"
        + EnglishRecord(c, d.Message)
        + (d.Findings is { Count: > 0 } f
            ? Table([c.T("Finding", "検知内容"), c.T("Detail (masked)", "詳細（マスク済み）")], f.Select(x => new[] { Rule(c, x.Rule), E(x.Detail) }))
            : "")
        + $"<p>{(incidentId is null ? "" : Link(c.T($"Incident {incidentId}", $"インシデント {incidentId}"), "incidents", incidentId) + " · ")}{Link(c.T("Quarantine", "隔離一覧"), "quarantine")} · {Link(c.T("Jobs", "送信ジョブ"), "jobs")}</p>";

    /// <summary>In Japanese, the service's own (English) message kept under the Japanese words, labelled as such.</summary>
    private static string EnglishRecord(ConsoleRequest c, string message) =>
        c.English ? "" : $"<p class=\"detail\">{E($"記録（英語）: {message}")}</p>";

    public static string Message(ConsoleRequest c, string message) =>
        $"<p class=\"message\">{E(message)}</p><p>{Link(c.T("Back to the incidents", "インシデント一覧に戻る"))}</p>";

    private static string PolicyFields(ConsoleRequest c, string? internalDomains, string? personalFields) =>
        $"<label>{E(c.T("Add internal domains (staff addresses; comma-separated)", "社内ドメインを追加（職員のアドレス、カンマ区切り）"))} <input type=\"text\" name=\"internalDomains\" value=\"{E(internalDomains)}\"></label>"
        + $"<label>{E(c.T("Add personal fields (merge keys; comma-separated)", "個人データの項目を追加（差し込みキー、カンマ区切り）"))} <input type=\"text\" name=\"personalFields\" value=\"{E(personalFields)}\"></label>";

    private static string DiscardForm(ConsoleRequest c, string jobId, int chunk) =>
        Form(c, Path("jobs", jobId, "chunks", $"{chunk}", "discard"),
            $"<label>{E(c.T("Why discard (recorded)", "破棄する理由（記録されます）"))} <input type=\"text\" name=\"reason\" required></label>",
            c.T("Discard, never send", "破棄する（送信しない）"), "discard");
}
