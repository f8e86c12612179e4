using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using MisSend.Core.Detection;

namespace MisSend.Functions.Console;

/// <summary>The console's page frame and the few pieces every page uses. Every value is HTML-encoded here.</summary>
public static class ConsoleHtml
{
    public const string Root = "/api/console";

    private static readonly TimeZoneInfo Japan = TimeZoneInfo.CreateCustomTimeZone("JST", TimeSpan.FromHours(9), "JST", "JST");

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>Path segments are escaped, then the whole link encoded.</summary>
    public static string Link(string text, params string[] segments) =>
        $"<a href=\"{E(Path(segments))}\">{E(text)}</a>";

    public static string Path(params string[] segments) =>
        Root + string.Concat(segments.Select(s => "/" + Uri.EscapeDataString(s)));

    /// <summary>Times in Japan time for the Japanese console, UTC for the English one.</summary>
    public static string Time(ConsoleRequest c, DateTimeOffset? at) => at is not { } t
        ? "—"
        : c.English
            ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : TimeZoneInfo.ConvertTime(t, Japan).ToString("yyyy-MM-dd HH:mm:ss 'JST'", CultureInfo.InvariantCulture);

    /// <summary>A stored state or kind, shown as the records name it, with its Japanese gloss.</summary>
    /// <summary>A count, or "under investigation" where the records do not know it yet (a reported incident before its scope is declared).</summary>
    public static string Count(ConsoleRequest c, int? count) => count is { } n ? $"{n}" : E(c.T("under investigation", "調査中"));

    /// <summary>The Japanese word for a stored state or kind name, with the name itself; the name alone when there is none.</summary>
    public static string Gloss(string stored) => Glosses.TryGetValue(stored, out var ja) ? $"{ja} ({stored})" : stored;

    public static string State(ConsoleRequest c, string stored) =>
        $"<span class=\"state state-{E(stored)}\">{E(c.English ? stored : Gloss(stored))}</span>";

    public static string Categories(ConsoleRequest c, IEnumerable<DataCategory> categories) =>
        categories.Distinct().Order().Select(x => c.English ? x.English() : x.Japanese()).ToList() is { Count: > 0 } names
            ? E(string.Join(c.English ? ", " : "、", names))
            : "—";

    public static string Rule(ConsoleRequest c, string ruleId) => E(RuleCatalog.Get(ruleId).Title(c.Language));

    public static string Hidden(string name, string? value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    public static string Form(ConsoleRequest c, string action, string body, string button, string? css = null) =>
        $"<form method=\"post\" action=\"{E(action)}\"{(css is null ? "" : $" class=\"{css}\"")}>{Hidden(ConsoleRequest.CsrfField, c.Csrf)}{body}<button type=\"submit\">{E(button)}</button></form>";

    public static ContentResult Page(ConsoleRequest c, string title, string body, int status = 200)
    {
        var here = c.Http.Path.Value ?? Root;
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"").Append(c.Language).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" — ").Append(c.T("Mis-send Detector console", "誤送信検知 オペレーターコンソール")).Append("</title>")
            .Append("<style>").Append(Style).Append("</style></head><body>")
            .Append("<header><strong>").Append(c.T("Mis-send Detector", "誤送信検知")).Append("</strong><nav>")
            .Append(Link(c.T("Incidents", "インシデント"))).Append(Link(c.T("Quarantine", "隔離中の送信"), "quarantine")).Append(Link(c.T("Jobs", "送信ジョブ"), "jobs"))
            .Append("</nav><span class=\"lang\">")
            .Append(c.English ? $"<a href=\"{E(here)}?lang=ja\" lang=\"ja\">日本語</a> | <b>English</b>" : $"<b>日本語</b> | <a href=\"{E(here)}?lang=en\" lang=\"en\">English</a>")
            .Append("</span></header><main><h1>").Append(E(title)).Append("</h1>").Append(body)
            .Append("</main><footer>").Append(c.T("Personal data is masked on every page.", "個人データはすべてマスクして表示しています。")).Append("</footer></body></html>");
        return new ContentResult { StatusCode = status, ContentType = "text/html; charset=utf-8", Content = html.ToString() };
    }

    public static string Table(IEnumerable<string> headings, IEnumerable<IEnumerable<string>> rows, string? empty = null)
    {
        var list = rows.ToList();
        if (list.Count == 0 && empty is not null)
        {
            return $"<p class=\"empty\">{E(empty)}</p>";
        }

        return "<table><thead><tr>" + string.Concat(headings.Select(h => $"<th>{E(h)}</th>")) + "</tr></thead><tbody>"
            + string.Concat(list.Select(r => "<tr>" + string.Concat(r.Select(cell => $"<td>{cell}</td>")) + "</tr>")) + "</tbody></table>";
    }

    private static readonly Dictionary<string, string> Glosses = new(StringComparer.Ordinal)
    {
        ["open"] = "対応中", ["contained"] = "未然防止", ["notified"] = "通知済み", ["notified-with-unconfirmed"] = "通知済み（未確認あり）",
        ["halted"] = "停止", ["detector"] = "検知", ["operator"] = "担当者", ["claimed"] = "検査中", ["sending"] = "送信中",
        ["sent"] = "送信済み", ["unknown"] = "不明", ["not-sent"] = "未送信（再試行）", ["refused"] = "拒否", ["failed"] = "失敗",
        ["quarantined"] = "隔離中", ["cancelled"] = "取消済み", ["discarded"] = "破棄", ["pending"] = "再送待ち",
        ["opened"] = "開始", ["chunk-contained"] = "未送信で保留", ["release-decision"] = "解除の判断", ["chunk-released"] = "解除・送信",
        ["release-failed"] = "解除失敗", ["chunk-discarded"] = "破棄", ["chunk-resolved"] = "確定", ["chunk-unknown"] = "送信結果不明",
        ["chunk-failed"] = "送信失敗", ["cancel-done"] = "予約取消", ["cancel-failed"] = "予約取消失敗", ["cancel-too-late"] = "取消に間に合わず",
        ["status-changed"] = "状態変更", ["wave-unknown"] = "通知結果不明", ["wave-failed"] = "通知失敗",
        ["recipient-report"] = "受信者の申告", ["dismissed"] = "却下", ["not-mine-reported"] = "受信者の申告", ["report-dismissed"] = "申告の却下",
        ["officer-alerted"] = "担当者へ通知", ["officer-alert-failed"] = "担当者への通知失敗", ["reported"] = "申告", ["leak"] = "漏えい", ["near-miss"] = "ヒヤリハット",
    };

    private const string Style =
        "body{font-family:'Noto Sans CJK JP','Noto Sans JP',system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}" +
        "header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.2rem;background:#123;color:#fff}header a{color:#cde;margin-right:1rem}" +
        "header .lang{margin-left:auto}td a{white-space:nowrap}.chunk{display:inline-block;white-space:nowrap;margin:0 .6rem .2rem 0}header b{color:#fff}main{padding:1rem 1.5rem;max-width:80rem}" +
        "table{border-collapse:collapse;background:#fff;margin:.5rem 0 1.2rem}th,td{border:1px solid #d0d4da;padding:.3rem .6rem;text-align:left;vertical-align:top}" +
        "th{background:#eef1f5}.state{padding:.05rem .4rem;border-radius:.3rem;background:#e4e7ec;white-space:nowrap}" +
        ".state-halted,.state-open,.state-quarantined,.state-failed,.state-unknown,.state-recipient-report{background:#fde2e1}.state-sent,.state-notified,.state-contained{background:#dff3e4}" +
        "form{margin:.4rem 0;padding:.6rem;background:#fff;border:1px solid #d0d4da}label{display:block;margin:.3rem 0}input[type=text]{width:28rem;max-width:95%}" +
        "button{margin-top:.4rem}.card{background:#fff;border:1px solid #c8ccd2;padding:.8rem 1rem;margin:1rem 0}.pass{color:#11652b;font-weight:bold}" +
        ".halt{color:#a4161a;font-weight:bold}pre{white-space:pre-wrap;background:#fff;border:1px solid #d0d4da;padding:.8rem;max-height:30rem;overflow:auto}" +
        "footer{padding:1rem 1.5rem;color:#667}.empty{color:#667}.message{padding:.6rem;background:#fff8d6;border:1px solid #e5cf6c}";
}
