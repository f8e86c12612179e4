using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MisSend.Core.Detection;
using MisSend.Core.Notices;

namespace MisSend.Core.Reports;

/// <summary>
/// The incident report in Markdown (ja/en) and JSON. Its sections follow the items of an APPI report to the PPC
/// (summary, data items, number of people, cause, secondary harm, response to individuals, publication,
/// prevention), and it answers GDPR Art. 33(3) (a)–(d).
/// </summary>
public static class IncidentReportRenderer
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string ToJson(IncidentReport report) => JsonSerializer.Serialize(new
    {
        report,
        recipientsStillHolding = report.Scope.RecipientsStillHolding,
        appi = new
        {
            summary = Summary(report, ja: false),
            dataItems = report.Scope.Categories.Select(c => c.Id()),
            numberOfPeople = new { dataSubjects = report.Scope.DataSubjects, wrongRecipients = report.Scope.WrongRecipients },
            cause = report.Cause.Select(f => f.Rule).Distinct(),
            secondaryHarm = SecondaryHarm(report, ja: false),
            responseToIndividuals = report.Notices,
            publication = Publication(ja: false),
            prevention = Prevention(ja: false),
        },
        gdprArticle33 = new
        {
            natureOfBreach = Summary(report, ja: false),
            categoriesOfDataSubjects = "customers (recipients of the sender's bulk e-mail)",
            approximateNumberOfDataSubjects = report.Scope.DataSubjects,
            approximateNumberOfRecords = report.Scope.Exposures,
            contactPoint = report.ContactEmail,
            likelyConsequences = SecondaryHarm(report, ja: false),
            measuresTaken = Measures(report, ja: false),
        },
    }, Json);

    public static string ToMarkdown(IncidentReport report, string language)
    {
        var ja = language == "ja";
        var s = report.Scope;
        var md = new StringBuilder();
        md.AppendLine(ja ? $"# 個人データ漏えい等事案 報告書 {report.IncidentId}" : $"# Personal data breach report {report.IncidentId}");
        md.AppendLine();
        md.AppendLine(ja
            ? $"- 事業者: {report.Organization}\n- 送信ジョブ: `{report.JobId}`\n- 検知元: {(report.Source == "detector" ? "送信前検査（自動）" : "外部からの申告（担当者による登録）")}\n- 状態: {report.Status}\n- 連絡先: {report.ContactEmail}"
            : $"- Organization: {report.Organization}\n- Send job: `{report.JobId}`\n- Detected by: {(report.Source == "detector" ? "pre-send inspection (automatic)" : "outside report (opened by an operator)")}\n- Status: {report.Status}\n- Contact: {report.ContactEmail}");
        md.AppendLine();

        Section(md, ja ? "1. 概要" : "1. Summary", Summary(report, ja));

        md.AppendLine(ja ? "## 2. 経緯（タイムライン）" : "## 2. Timeline");
        md.AppendLine();
        md.AppendLine(ja ? "| 日時 (JST) | 事象 | 内容 |" : "| Time (JST) | Event | Detail |");
        md.AppendLine("|---|---|---|");
        foreach (var e in report.Timeline.OrderBy(e => e.At))
        {
            md.AppendLine($"| {NoticeRenderer.FormatTime(e.At, ja)} | {EventName(e.Event, ja)} | {e.Detail} |");
        }

        md.AppendLine();
        var categories = string.Join(ja ? "、" : ", ", s.Categories.Select(c => ja ? c.Japanese() : c.English()));
        Section(md, ja ? "3. 漏えいした個人データの項目" : "3. Personal data items", categories.Length > 0 ? categories : ja ? "（外部に届いた個人データはありません）" : "(no personal data reached anyone)");
        Section(md, ja ? "4. 対象人数" : "4. Number of people", ja
            ? $"- 本人（データが他人に届いた方）: {s.DataSubjects} 名（うち連絡先不明 {s.UnreachableSubjects} 名）\n- 誤って受け取った方: {s.WrongRecipients} 名（未開封削除の確認済み {s.ConfirmedDeletedUnread} 名、未確認 {s.RecipientsStillHolding} 名）\n- 誤送付の件数: {s.Exposures} 件\n- 送信済みチャンク: {s.ChunksSent}、送信停止（隔離）したチャンク: {s.ChunksQuarantined}"
            : $"- Data subjects (whose data reached someone else): {s.DataSubjects} ({s.UnreachableSubjects} without a known address)\n- Wrong recipients: {s.WrongRecipients} ({s.ConfirmedDeletedUnread} confirmed deleted unread, {s.RecipientsStillHolding} not yet)\n- Misdirected records: {s.Exposures}\n- Chunks sent: {s.ChunksSent}; chunks halted and quarantined: {s.ChunksQuarantined}");

        md.AppendLine(ja ? "## 5. 原因" : "## 5. Cause");
        md.AppendLine();
        if (report.Reason is { Length: > 0 } reason)
        {
            md.AppendLine(ja ? $"登録理由: {reason}" : $"Reason given: {reason}");
            md.AppendLine();
        }

        foreach (var f in report.Cause)
        {
            md.AppendLine($"- {(ja ? "チャンク" : "chunk")} {f.Chunk}, `{f.Rule}`{(f.Personalization is { } p ? $" (personalization {p})" : "")}: {f.Detail}");
        }

        md.AppendLine();
        Section(md, ja ? "6. 二次被害又はそのおそれの有無" : "6. Secondary harm", SecondaryHarm(report, ja));
        Section(md, ja ? "7. 本人への対応" : "7. Response to individuals", ja
            ? $"- お詫び（本人宛て）: 送信済み {report.Notices.ApologiesSent} 名、未送信 {report.Notices.ApologiesPending} 名\n- 削除のお願い（受信者宛て）: 送信済み {report.Notices.DeleteRequestsSent} 名、未送信 {report.Notices.DeleteRequestsPending} 名\n- 送達未確認: {report.Notices.Unconfirmed} 名"
            : $"- Apologies to data subjects: {report.Notices.ApologiesSent} sent, {report.Notices.ApologiesPending} pending\n- Delete requests to wrong recipients: {report.Notices.DeleteRequestsSent} sent, {report.Notices.DeleteRequestsPending} pending\n- Delivery unconfirmed: {report.Notices.Unconfirmed}");
        Section(md, ja ? "8. 公表" : "8. Publication", Publication(ja));
        Section(md, ja ? "9. 実施済みの措置と再発防止策" : "9. Measures taken and prevention", Measures(report, ja) + "\n" + Prevention(ja));

        md.AppendLine(ja ? "## 10. 報告項目との対応" : "## 10. Regulatory items");
        md.AppendLine();
        md.AppendLine(ja
            ? "| 個人情報保護委員会への報告（個人情報保護法施行規則 第8条） | 本報告書 |\n|---|---|\n| 概要 | 1 |\n| 漏えい等が発生し、又は発生したおそれがある個人データの項目 | 3 |\n| 本人の数 | 4 |\n| 原因 | 5 |\n| 二次被害又はそのおそれの有無及びその内容 | 6 |\n| 本人への対応の実施状況 | 7 |\n| 公表の実施状況 | 8 |\n| 再発防止のための措置 | 9 |\n\n| GDPR 第33条3項 | 本報告書 |\n|---|---|\n| (a) 侵害の性質、データ主体と記録の種類・概数 | 1, 3, 4 |\n| (b) 連絡窓口 | 冒頭 |\n| (c) 生じ得る結果 | 6 |\n| (d) 講じた措置 | 7, 9 |"
            : "| APPI report to the PPC (Enforcement Rules, Art. 8) | Section |\n|---|---|\n| Summary | 1 |\n| Personal data items | 3 |\n| Number of people | 4 |\n| Cause | 5 |\n| Secondary harm | 6 |\n| Response to individuals | 7 |\n| Publication | 8 |\n| Prevention | 9 |\n\n| GDPR Art. 33(3) | Section |\n|---|---|\n| (a) nature, categories and approximate numbers of data subjects and records | 1, 3, 4 |\n| (b) contact point | header |\n| (c) likely consequences | 6 |\n| (d) measures taken or proposed | 7, 9 |");
        return md.ToString();
    }

    private static void Section(StringBuilder md, string title, string body)
    {
        md.AppendLine($"## {title}");
        md.AppendLine();
        md.AppendLine(body);
        md.AppendLine();
    }

    private static string Summary(IncidentReport r, bool ja)
    {
        var s = r.Scope;
        if (s.Exposures == 0)
        {
            return ja
                ? $"一括送信ジョブ `{r.JobId}` で、個人データが本人以外に届くおそれのあるバッチを送信前に検知し、送信を停止しました。外部に届いた個人データはありません。"
                : $"A batch of the bulk send job `{r.JobId}` would have delivered personal data to the wrong people. It was detected before sending and halted; no personal data reached anyone.";
        }

        return ja
            ? $"一括送信ジョブ `{r.JobId}` で、{s.DataSubjects} 名の個人データ（{string.Join("、", s.Categories.Select(c => c.Japanese()))}）が本人以外の {s.WrongRecipients} 名に届きました。これは個人データの漏えいです。"
            : $"In the bulk send job `{r.JobId}`, the personal data ({string.Join(", ", s.Categories.Select(c => c.English()))}) of {s.DataSubjects} people reached {s.WrongRecipients} people it does not belong to. This is a personal data breach (leak).";
    }

    private static string SecondaryHarm(IncidentReport r, bool ja) => r.Scope.Exposures == 0
        ? ja ? "なし（個人データは外部に届いていません）。" : "None: no personal data left the sender."
        : ja
            ? $"現時点で悪用の報告はありません。受信者による転送・公開、名簿業者への流出、なりすまし・フィッシングのおそれがあります。未開封削除の確認が取れていない受信者は {r.Scope.RecipientsStillHolding} 名です。"
            : $"No misuse has been reported so far. The risks are forwarding or publication by recipients, sale of the addresses, and phishing or impersonation. {r.Scope.RecipientsStillHolding} wrong recipients have not yet confirmed deleting unread.";

    private static string Publication(bool ja) => ja
        ? "未公表。性質・原因・範囲・再発防止策を明記し、「誤送信」ではなく個人データの漏えいとして公表することを推奨します。"
        : "Not yet published. Publish it as a personal data leak, not as \"a mis-send\", stating its nature, cause, scope and countermeasures.";

    private static string Measures(IncidentReport r, bool ja)
    {
        var lines = new List<string>();
        if (r.Scope.ChunksQuarantined > 0)
        {
            lines.Add(ja ? $"送信ジョブ全体を停止し、未送信の {r.Scope.ChunksQuarantined} チャンクを隔離しました。" : $"The whole send job was halted; {r.Scope.ChunksQuarantined} unsent chunks are quarantined.");
        }

        if (r.Scope.Exposures > 0)
        {
            // Say "everyone" only when it is true: pending, unconfirmed or unreachable people are named as such.
            var n = r.Notices;
            var pending = n.ApologiesPending + n.DeleteRequestsPending;
            if (pending == 0 && n.Unconfirmed == 0 && r.Scope.UnreachableSubjects == 0)
            {
                lines.Add(ja ? "影響を受けた全員に、お詫びと削除のお願いをメールで送付しました（各人 1 回）。" : "Everyone affected was e-mailed an apology or a delete request, once each.");
            }
            else
            {
                lines.Add(ja
                    ? $"お詫びを {n.ApologiesSent} 名、削除のお願いを {n.DeleteRequestsSent} 名にメールで送付しました（各人 1 回）。"
                    : $"Apologies were e-mailed to {n.ApologiesSent} data subjects and delete requests to {n.DeleteRequestsSent} wrong recipients, once each.");
                if (pending > 0)
                {
                    lines.Add(ja ? $"未送信の {pending} 名には送信を続けています。" : $"{pending} notices are not sent yet; sending continues.");
                }

                if (n.Unconfirmed > 0)
                {
                    lines.Add(ja ? $"送達を確認できない {n.Unconfirmed} 名の通知は、担当者が確認します。" : $"{n.Unconfirmed} notices could not be confirmed as sent; an operator checks them.");
                }

                if (r.Scope.UnreachableSubjects > 0)
                {
                    lines.Add(ja
                        ? $"連絡先が不明な本人 {r.Scope.UnreachableSubjects} 名には、お詫びをお送りできていません。"
                        : $"{r.Scope.UnreachableSubjects} data subjects have no known address and have not been told.");
                }
            }
        }

        return string.Join('\n', lines.Select(l => "- " + l));
    }

    private static string Prevention(bool ja) => ja
        ? "- すべての一括送信を送信前検査（宛先の可視性、個人データの共有、宛先と差し込みデータの不一致、1 名への複数人分の集中、本文・添付の名簿）に通します。\n- 差し込みデータにメールアドレス等の本人照合キーを含め、ポリシーで本人キーを宣言します。\n- 送信保留時間（holdMinutes）を設定し、停止時に予約送信を取り消せるようにします。"
        : "- Route every bulk send through the pre-send inspection (visible recipients, shared personal data, wrong owner, fan-in, rosters in content or attachments).\n- Include an owner key (such as the e-mail address) in the merge data and declare it in the policy.\n- Set a hold window (holdMinutes) so a halt can still cancel scheduled chunks.";

    private static string EventName(string e, bool ja) => (e, ja) switch
    {
        (TimelineEvents.FirstSend, true) => "初回送信",
        (TimelineEvents.Detection, true) => "検知",
        (TimelineEvents.Halt, true) => "送信停止",
        (TimelineEvents.Opened, true) => "インシデント登録",
        (TimelineEvents.NoticeWave, true) => "通知送信",
        (TimelineEvents.Confirmation, true) => "未開封削除の確認",
        (TimelineEvents.FirstSend, false) => "first send",
        (TimelineEvents.Detection, false) => "detection",
        (TimelineEvents.Halt, false) => "halt",
        (TimelineEvents.Opened, false) => "incident opened",
        (TimelineEvents.NoticeWave, false) => "notice wave",
        (TimelineEvents.Confirmation, false) => "deleted unread confirmed",
        _ => e,
    };
}
