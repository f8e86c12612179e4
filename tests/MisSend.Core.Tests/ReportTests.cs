using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Reports;
using static MisSend.Core.Tests.IncidentFixtures;

namespace MisSend.Core.Tests;

/// <summary>Issue 11 §3: each kind of incident gets the report that tells its truth, in Japanese, English and JSON.</summary>
public sealed partial class ReportTests
{
    /// <summary>The nine items of 規則8条, as the Japanese leak report's headings name them.</summary>
    private static readonly string[] PpcItems =
    [
        "## 1. 概要", "## 2. 漏えい等が発生し、又は発生したおそれがある個人データの項目", "## 3. 本人の数", "## 4. 原因",
        "## 5. 二次被害又はそのおそれの有無及びその内容", "## 6. 本人への対応の実施状況", "## 7. 公表の実施状況", "## 8. 再発防止のための措置",
        "## 9. その他参考となる事項",
    ];

    private static readonly string[] PpcItemsEn =
    [
        "## 1. Summary", "## 2. Personal data items concerned", "## 3. Number of people", "## 4. Cause",
        "## 5. Secondary harm: whether there is any or a risk of it, and what it is", "## 6. Response to the individuals", "## 7. Publication",
        "## 8. Measures to prevent recurrence", "## 9. Other relevant matters",
    ];

    public static TheoryData<string> Kinds => ["leak", "near-miss", "reported", "declared"];

    private static IncidentReport Of(string kind) => kind switch
    {
        "leak" => Leak(),
        "near-miss" => NearMiss(),
        "reported" => Reported(),
        _ => ReportedDeclared(),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Japanese_report_has_no_English_words_beyond_proper_names_and_ids(string kind)
    {
        var report = Of(kind);
        var md = IncidentReportRenderer.ToMarkdown(report, "ja");

        // Ids and addresses are written as they are; GDPR is a proper name; (a)–(d) are the article's item labels;
        // To/Cc are the e-mail header names the detector's cause quotes; suzuki is the operator's sign-in name.
        var text = md.Replace(report.IncidentId, "").Replace(report.JobId, "").Replace(Reporter.Email!, "");
        var words = AsciiWord().Matches(text).Select(m => m.Value).Distinct().ToArray();
        Assert.All(words, w => Assert.Contains(w, new[] { "GDPR", "a", "b", "c", "d", "To", "Cc", "suzuki" }));
        Assert.DoesNotContain("JST", md);
        Assert.DoesNotMatch(@"\d \d", md); // numbers are written with their units: 212名, not "212 名"
    }

    [Theory]
    [InlineData("leak")]
    [InlineData("reported")]
    [InlineData("declared")]
    public void Leak_and_reported_reports_carry_every_PPC_and_GDPR_item_in_both_languages(string kind)
    {
        var ja = IncidentReportRenderer.ToMarkdown(Of(kind), "ja");
        var en = IncidentReportRenderer.ToMarkdown(Of(kind), "en");

        Assert.StartsWith("# 個人データ漏えい等事案 報告書 INC-7F3KQ2M9X4AB\n", ja);
        Assert.Equal(PpcItems, Headings(ja).Where(h => PpcItems.Contains(h)));
        Assert.Equal(PpcItemsEn, Headings(en).Where(h => PpcItemsEn.Contains(h)));
        foreach (var item in new[] { "- (a) 侵害の性質", "- (b) データ保護責任者又は連絡窓口", "- (c) 生じ得る結果", "- (d) 講じた措置又は講じる予定の措置", "- 72時間の期限" })
        {
            Assert.Contains(item, ja);
        }

        foreach (var item in new[] { "- (a) Nature of the breach", "- (b) Data protection officer or contact point", "- (c) Likely consequences", "- (d) Measures taken or proposed", "- 72-hour deadline" })
        {
            Assert.Contains(item, en);
        }

        Assert.Contains("## 10. 報告義務の判定（個人情報保護法施行規則第7条）", ja);
        Assert.Contains("- 発生日時: 2026年11月20日 10:05（日本時間）", ja);
        Assert.Contains("| 法人の名称 | 浦和レッドダイヤモンズ株式会社 |", ja);
        Assert.Contains("| 報告担当者 | （要記入） |", ja); // not configured: left for a person to fill
        Assert.Contains("| Person in charge of this report | (to be completed) |", en);
    }

    [Fact]
    public void Leak_report_states_the_numbers_of_the_model_and_the_cause_in_plain_words()
    {
        var ja = IncidentReportRenderer.ToMarkdown(Leak(), "ja");

        Assert.Contains("本人212名の個人データ（メールアドレス、氏名、席種、請求金額）が、本人以外の213名に届きました。これは個人データの漏えいです。", ja);
        Assert.Contains("さらに本人640名分の個人データが届くことを防ぎました。", ja);
        Assert.Contains("- 誤って受け取った方: 213名（未開封のまま削除したと確認できた方 10名、確認できていない方 203名）", ja);
        Assert.Contains("- 本人以外に届いた件数（受け取った方と本人の組み合わせ）: 45,156件", ja);
        Assert.Contains("| 2026年11月20日 10:08（日本時間） | 削除のお願いを213名に送信 | システム（自動） |", ja);
        Assert.Contains("| 2026年11月20日 10:47（日本時間） | 未開封のまま削除したとの確認（10名） | 受信者 |", ja);
        Assert.Contains($"- {RuleCatalog.Get(Rules.SharedPersonalData).TitleJa}（分割送信の第2回、関係する方 最大213名）: {RuleCatalog.Get(Rules.SharedPersonalData).CauseJa}", ja);
        Assert.DoesNotContain(Rules.SharedPersonalData, ja);
        Assert.DoesNotContain(Rules.FanInAcrossChunks, ja);
        Assert.Contains("- 請求金額: 実際の金額を示して支払いを求める、事業者を装った詐欺のおそれ", ja);
        Assert.Contains("| お詫び（本人宛て） | 210名 | 0名 | 0名 | 0名 |", ja);
        Assert.Contains("- 連絡先が分からない本人2名には、お詫びをお送りできていません。", ja);
        Assert.Contains("「誤送信」ではなく個人データの漏えいとして", ja);
    }

    [Fact]
    public void Measures_taken_come_from_the_records_and_are_kept_apart_from_proposals()
    {
        var ja = IncidentReportRenderer.ToMarkdown(Leak(), "ja");
        var done = Section(ja, "### 実施済みの措置（記録による）");
        var proposed = Section(ja, "### 再発防止策（提案・要確認）");

        Assert.Equal(
        [
            "- 送信ジョブを停止し、未送信の分割送信3回分を隔離しました。",
            "- 誤って受け取った方213名に、削除のお願いをメールで送信しました（各人1回）。",
            "- 本人210名に、お詫びをメールで送信しました（各人1回）。",
            "- 10名から、未開封のまま削除したとの確認を受けました。",
        ], done);
        Assert.Contains("- （要記入：上記を踏まえ、実施する措置とその時期）", proposed);
        Assert.DoesNotContain(proposed, l => l.EndsWith("ました。", StringComparison.Ordinal));

        var nothingYet = Leak() with { Chunks = new ChunkProgress(1, 1, 0, 0, 0, 0), Notices = NoticeProgress.None };
        Assert.Equal(["- 記録された措置はありません。"], Section(IncidentReportRenderer.ToMarkdown(nothingYet, "ja"), "### 実施済みの措置（記録による）"));
        Assert.Equal(["- No measure is recorded."], Section(IncidentReportRenderer.ToMarkdown(nothingYet, "en"), "### Measures taken (from the records)"));
    }

    [Fact]
    public void Near_miss_is_a_near_miss_record_not_a_leak_report()
    {
        foreach (var (md, title, notLeak, mustNot) in new[]
        {
            (IncidentReportRenderer.ToMarkdown(NearMiss(), "ja"), "# ヒヤリハット記録（送信前に停止した事案） INC-7F3KQ2M9X4AB\n",
                "個人データは本人以外の方に送られていません。", new[] { "漏えい等事案 報告書", "これは個人データの漏えいです", "公表する場合", "報告義務の判定", "二次被害", "お詫び" }),
            (IncidentReportRenderer.ToMarkdown(NearMiss(), "en"), "# Near-miss record (halted before sending) INC-7F3KQ2M9X4AB\n",
                "No personal data was sent to anyone it does not belong to.", new[] { "# Personal data breach report", "This is a personal data breach", "When publishing", "Is a report to the PPC mandatory", "Secondary harm", "Apolog" }),
        })
        {
            Assert.StartsWith(title, md);
            Assert.Contains(notLeak, md);
            Assert.All(mustNot, phrase => Assert.DoesNotContain(phrase, md));
        }

        var ja = IncidentReportRenderer.ToMarkdown(NearMiss(), "ja");
        Assert.Contains("送信していれば、本人213名分の個人データが、本人以外の212名に届くところでした。", ja);
        Assert.Contains("- 個人データの項目: メールアドレス、氏名、席種、請求金額", ja);
        Assert.Contains($"- {RuleCatalog.Get(Rules.VisibleRecipients).TitleJa}（分割送信の第1回、関係する方 最大213名）", ja);
        Assert.Contains("## 5. 届出について", ja);
        Assert.Contains("個人情報保護委員会への報告（個人情報保護法施行規則第7条）及び本人への通知の対象ではありません。", ja);

        var unknownSubjects = NearMiss() with { Prevented = new PreventedExposure(null, 212, GuideCategories) };
        Assert.Contains("- 本人（データが届くところだった方）: 不明", IncidentReportRenderer.ToMarkdown(unknownSubjects, "ja"));
        Assert.Contains("- Data subjects whose data would have gone out: unknown", IncidentReportRenderer.ToMarkdown(unknownSubjects, "en"));
    }

    [Fact]
    public void A_job_of_one_chunk_is_told_as_its_mails_never_as_chunk_1()
    {
        var single = NearMiss() with { Chunks = new ChunkProgress(1, 0, 0, 1, 0, 0), Timeline = [new(SentAt, TimelineEventKind.Detected, Actor.System, Chunk: 1)] };
        var ja = IncidentReportRenderer.ToMarkdown(single, "ja");
        var en = IncidentReportRenderer.ToMarkdown(single, "en");

        Assert.Contains("送信ジョブ `reds-2027-payment-guide` を送信前検査で検知し", ja);
        Assert.Contains("| メールの送信前検査で、個人データが本人以外に届くおそれを検知 |", ja);
        Assert.Contains($"- {RuleCatalog.Get(Rules.VisibleRecipients).TitleJa}（関係する方 最大213名）", ja);
        Assert.Contains("停止したメールを送信していれば", ja);
        Assert.DoesNotContain("第1回", ja);
        Assert.Contains("| the pre-send inspection of the mail found personal data going to the wrong people |", en);
        Assert.Contains("Had the halted mail been sent", en);
        Assert.DoesNotContain("chunk 1", en);

        // A job of several chunks names them.
        Assert.Contains("| 分割送信の第1回の送信前検査で、個人データが本人以外に届くおそれを検知 |", IncidentReportRenderer.ToMarkdown(NearMiss(), "ja"));
        Assert.Contains("the pre-send inspection of chunk 1 found", IncidentReportRenderer.ToMarkdown(NearMiss(), "en"));
    }

    [Fact]
    public void Near_miss_whose_earlier_chunk_is_still_unknown_never_says_that_nothing_reached_anyone()
    {
        var report = NearMiss() with { Unsettled = new UnsettledExposure([1], 3, 2, 4) };
        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        var en = IncidentReportRenderer.ToMarkdown(report, "en");

        Assert.Equal(ReportStatus.AwaitingSendResults, ReportAssessment.Status(report));
        Assert.Equal(ReportRequirement.Undetermined, ReportAssessment.Ppc(report).Requirement);
        Assert.Equal(RiskLevel.Unknown, ReportAssessment.Gdpr(report).Risk);
        Assert.Contains("- 状態: 送信前に停止（一部の送信結果を確認中）", ja);
        Assert.Contains("同じ送信ジョブの分割送信（第1回）は、送信事業者が受け付けたかどうかをまだ確認できていません。このため、個人データが本人以外の方に届いたかどうかは調査中です（届いていた場合、本人3名分の個人データが本人以外の2名に届いたことになります）。", ja);
        Assert.Contains("- 送信結果を確認中の分割送信: 第1回（届いたかどうか不明）", ja);
        Assert.Contains("個人データが本人以外の方に届いたかどうかを確認中です。", ja);
        foreach (var untrue in new[] { "個人データは本人以外の方に送られていません", "個人データは本人以外の方に届いていないため", "外部への送付なし" })
        {
            Assert.DoesNotContain(untrue, ja);
        }

        Assert.Contains("However, for chunk 1 of the same job it is not yet known whether the mail service accepted the send", en);
        Assert.Contains("(if it did, the personal data of 3 people reached 2 other people)", en);
        Assert.DoesNotContain("No personal data was sent to anyone", en);
        Assert.DoesNotContain("No personal data reached anyone", en);
        Assert.Equal("awaiting-send-results", JsonNode.Parse(IncidentReportRenderer.ToJson(report))!["status"]!.GetValue<string>());
        var words = AsciiWord().Matches(ja.Replace(report.IncidentId, "").Replace(report.JobId, "")).Select(m => m.Value).Distinct();
        Assert.All(words, w => Assert.Contains(w, new[] { "GDPR", "To", "Cc" }));
    }

    [Fact]
    public void Leak_with_a_chunk_still_unknown_counts_it_apart_from_what_reached_people()
    {
        var report = Leak() with { Unsettled = new UnsettledExposure([3], 1, 1, 1) };
        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        var en = IncidentReportRenderer.ToMarkdown(report, "en");

        Assert.Contains("- 送信結果を確認中の分割送信（第3回）があります。届いていた場合、さらに本人1名分の個人データが本人以外の1名に届いたことになります。確認できるまで、上記の数には含めていません。", ja);
        Assert.Contains("- The send of chunk 3 is still being confirmed. If it went out, the personal data of 1 more person also reached 1 other person. These are not counted above until confirmed.", en);
        Assert.Contains("本人212名の個人データ", ja); // the reached scope is what it was
    }

    [Fact]
    public void What_the_pipeline_could_not_know_and_what_failed_reads_as_words_in_the_timeline()
    {
        var at = AwareAt.AddMinutes(1);
        var report = Leak() with
        {
            Timeline =
            [
                new(at, TimelineEventKind.ChunkUnknown, Actor.System, Chunk: 3),
                new(at, TimelineEventKind.ChunkConfirmedSent, Actor.System, Chunk: 3),
                new(at, TimelineEventKind.ChunkConfirmedNotSent, Actor.System, Chunk: 4),
                new(at, TimelineEventKind.ChunkNotSent, Actor.System, Chunk: 5),
                new(at, TimelineEventKind.CancelDone, Actor.System),
                new(at, TimelineEventKind.CancelTooLate, Actor.System),
                new(at, TimelineEventKind.ReleaseDecided, Actor.Operator("suzuki"), Chunk: 2),
                new(at, TimelineEventKind.NoticeWaveFailed, Actor.System, Count: 12, Notice: NoticeKind.DeleteRequest),
                new(at, TimelineEventKind.NoticeWaveUnknown, Actor.System, Count: 1, Notice: NoticeKind.Apology),
            ],
        };
        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        var en = IncidentReportRenderer.ToMarkdown(report, "en");

        foreach (var row in new[]
        {
            "分割送信の第3回について、送信事業者の応答が得られず、送信されたかどうか不明", "分割送信の第3回が送信されていたことを確認", "分割送信の第4回が送信されていなかったことを確認",
            "分割送信の第5回は送信できず（未送信）", "予約済みの送信を取り消し", "予約済みの送信の取消が間に合わず、送信された",
            "停止中の送信ジョブについて、分割送信の第2回の送信を決定 | 担当者（suzuki）", "削除のお願い（12名宛て）を送信事業者が受け付けず、未送信", "お詫び（1名宛て）の送信結果が不明",
        })
        {
            Assert.Contains($"| {row}", ja);
        }

        foreach (var row in new[]
        {
            "no answer from the mail service for chunk 3: unknown whether it was sent", "chunk 3 confirmed sent", "chunk 4 confirmed not sent", "chunk 5 could not be sent (not sent)",
            "scheduled sends cancelled", "the cancel of the scheduled sends came too late: they went out", "decision to send chunk 2 of the halted job | operator (suzuki)",
            "delete requests to 12 people refused by the mail service (not sent)", "apologies to 1 person: no answer from the mail service, delivery unknown",
        })
        {
            Assert.Contains($"| {row}", en);
        }

        Assert.All(Enum.GetValues<TimelineEventKind>(), kind => Assert.DoesNotContain($"| {StoredName.Of(kind)} |", ja));
    }

    [Fact]
    public void Reported_incident_without_a_declared_scope_is_under_investigation_never_nothing_leaked()
    {
        var ja = IncidentReportRenderer.ToMarkdown(Reported(), "ja");
        var en = IncidentReportRenderer.ToMarkdown(Reported(), "en");

        Assert.Contains("- 状態: 範囲を調査中", ja);
        Assert.Contains("届いた範囲は調査中であり、まだ確定していません。", ja);
        Assert.Contains("登録時の申告内容: 「お客様から、他人の請求金額が届いたと電話がありました」", ja);
        Assert.Contains("調査中: 届いた範囲が宣言されていないため、人数は確定していません。", ja);
        Assert.Contains("| 要配慮個人情報が含まれる（第1号） | 不明 | 範囲が調査中のため不明 |", ja);
        Assert.Contains("| 担当者（suzuki） |", ja);
        foreach (var claim in new[] { "届いた個人データはありません", "送られていません", "二次被害の有無: なし", "非該当", "これは個人データの漏えいです" })
        {
            Assert.DoesNotContain(claim, ja);
        }

        Assert.Contains("- Status: scope under investigation", en);
        Assert.Contains("The scope is under investigation and not yet established.", en);
        Assert.DoesNotContain("No personal data", en);
        Assert.DoesNotContain("| no |", en);
    }

    [Fact]
    public void Declared_scope_is_reported_with_who_declared_it_and_when()
    {
        var ja = IncidentReportRenderer.ToMarkdown(ReportedDeclared(), "ja");
        Assert.Contains("- 範囲の根拠: 担当者の宣言と送信記録", ja);
        Assert.Contains("  - 2026年11月20日 12:17（日本時間） 担当者（suzuki）の宣言: 送信ジョブの全受信者が、全員分の個人データを受け取った", ja);
        Assert.Contains("| 2026年11月20日 12:17（日本時間） | 範囲を宣言（全受信者が全員分を受信） | 担当者（suzuki） |", ja);
        Assert.Contains("- 状態: 本人への通知を実施済み（送達不明又は送信失敗を含む）", ja);
        Assert.Contains("| お詫び（本人宛て） | 211名 | 0名 | 2名 | 0名 |", ja);
        Assert.Contains("- 送達不明の通知は、送信事業者に受け付けられたかどうかを確認できないものです。担当者による確認が必要です。", ja);
    }

    [Fact]
    public void English_report_says_one_person_and_two_people()
    {
        var one = Leak() with
        {
            Scope = new ReportScope(ScopeBasis.Ledger, 1, 2, 2, [DataCategory.Name], 1, []),
            Prevented = new PreventedExposure(1, 1, [DataCategory.Name]),
            Notices = new NoticeProgress(new NoticeCounts(0, 0, 0, 0), new NoticeCounts(2, 0, 0, 0), 1),
            Chunks = new ChunkProgress(2, 1, 0, 1, 0, 1),
        };
        var en = IncidentReportRenderer.ToMarkdown(one, "en");

        Assert.Contains("the personal data (name) of 1 person reached 2 people it does not belong to", en);
        Assert.Contains("kept the data of 1 more person from reaching anyone", en);
        Assert.Contains("- Wrong recipients: 2 people (1 confirmed deleting unread, 1 not confirmed)", en);
        Assert.Contains("- Data subjects (whose data reached someone else): 1 person (1 person without a known address)", en);
        Assert.Contains("- Misdirected records (recipient and data subject pairs): 2 records", en);
        Assert.Contains("- 1 wrong recipient has not confirmed deleting unread", en);
        Assert.Contains("1 unsent chunk was quarantined", en);
        Assert.Contains("1 quarantined chunk was discarded", en);
        Assert.Contains("- 1 data subject has no known address", en);
        Assert.DoesNotMatch(@"\b1 (people|records|recipients|chunks|hours|data subjects|wrong recipients)\b", en);
        Assert.DoesNotMatch(@"\b([02-9]|\d{2,}) (person|record|recipient|chunk|hour|data subject|wrong recipient)\b", en);

        var many = IncidentReportRenderer.ToMarkdown(Leak(), "en");
        Assert.Contains("of 212 people reached 213 people", many);
        Assert.Contains("- Misdirected records (recipient and data subject pairs): 45,156 records", many);
        Assert.Contains("- 203 wrong recipients have not confirmed deleting unread", many);
    }

    public static TheoryData<string, IncidentReport, string> Rule7Triggers => new()
    {
        { "sensitive", Leak() with { Scope = Leak().Scope! with { Categories = [DataCategory.Name, DataCategory.Health] } }, "| 要配慮個人情報が含まれる（第1号） | 該当 | 病歴・診療情報が含まれる |" },
        { "financial", Leak() with { Scope = Leak().Scope! with { Categories = [DataCategory.Name, DataCategory.CardNumber] } }, "| 財産的被害が生じるおそれ（第2号） | 該当 | クレジットカード番号が含まれる |" },
        { "unlawful", Leak() with { Records = new OperatorRecords(UnlawfulPurpose: Answer.Yes) }, "| 不正の目的をもって行われたおそれ（第3号） | 該当 | 担当者の記録による |" },
        { "over-1000", Leak() with { Scope = Leak().Scope! with { DataSubjects = 1001 } }, "| 本人の数が1,000人を超える（第4号） | 該当 | 本人の数は1,001名 |" },
    };

    [Theory]
    [MemberData(nameof(Rule7Triggers))]
    public void Each_trigger_of_rule_7_makes_the_report_mandatory_with_its_reason(string trigger, IncidentReport report, string row)
    {
        var ppc = ReportAssessment.Ppc(report);
        Assert.Equal(ReportRequirement.Mandatory, ppc.Requirement);
        Assert.Equal(trigger == "sensitive", ppc.SensitiveData == Answer.Yes);
        Assert.Equal(trigger == "financial", ppc.FinancialHarm == Answer.Yes);
        Assert.Equal(trigger == "unlawful", ppc.UnlawfulPurpose == Answer.Yes);
        Assert.Equal(trigger == "over-1000", ppc.MoreThanThousand == Answer.Yes);
        Assert.Equal(trigger == "unlawful" ? 60 : 30, ppc.Deadlines!.FinalDays);

        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        Assert.Contains(row, ja);
        Assert.Contains("- 判定: 報告義務あり", ja);
        Assert.Contains("- Finding: a report is mandatory", IncidentReportRenderer.ToMarkdown(report, "en"));
        Assert.Equal("mandatory", JsonNode.Parse(IncidentReportRenderer.ToJson(report))!["appi"]!["requirement"]!.GetValue<string>());
        Assert.Equal(trigger is "sensitive" or "financial" ? RiskLevel.HighRisk : RiskLevel.Risk, ReportAssessment.Gdpr(report).Risk);
    }

    [Fact]
    public void Without_a_trigger_the_report_is_not_mandatory_only_once_an_operator_ruled_out_unlawful_purpose()
    {
        var exactlyThousand = Leak() with { Scope = Leak().Scope! with { DataSubjects = 1000 } };
        Assert.Equal(ReportRequirement.Undetermined, ReportAssessment.Ppc(exactlyThousand).Requirement);
        Assert.Equal(Answer.No, ReportAssessment.Ppc(exactlyThousand).MoreThanThousand);
        Assert.Contains("- 判定: 未確定", IncidentReportRenderer.ToMarkdown(exactlyThousand, "ja"));

        var ruledOut = exactlyThousand with { Records = new OperatorRecords(UnlawfulPurpose: Answer.No) };
        Assert.Equal(new PpcAssessment(Answer.No, Answer.No, Answer.No, Answer.No, ReportRequirement.NotMandatory, ReportAssessment.Ppc(ruledOut).Deadlines),
            ReportAssessment.Ppc(ruledOut));
        var ja = IncidentReportRenderer.ToMarkdown(ruledOut, "ja");
        Assert.Contains("- 判定: 報告義務なし（いずれの事由にも該当しません。任意の報告は可能です）", ja);
        Assert.Contains("| 不正の目的をもって行われたおそれ（第3号） | 非該当 | 担当者の記録による |", ja);

        Assert.Equal(ReportRequirement.NotApplicable, ReportAssessment.Ppc(NearMiss()).Requirement);
        Assert.Null(ReportAssessment.Ppc(NearMiss()).Deadlines);
        Assert.Equal(new PpcAssessment(Answer.Unknown, Answer.Unknown, Answer.Unknown, Answer.Unknown, ReportRequirement.Undetermined, ReportAssessment.Ppc(Reported()).Deadlines),
            ReportAssessment.Ppc(Reported()));
    }

    [Fact]
    public void Deadlines_count_from_the_day_of_awareness_in_Japan()
    {
        // 2026-11-20 16:30 UTC is 21 November 01:30 in Japan: the day of awareness is the 21st.
        var report = Leak() with { AwareAt = new DateTimeOffset(2026, 11, 20, 16, 30, 0, TimeSpan.Zero), GeneratedAt = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero) };
        var deadlines = ReportAssessment.Ppc(report).Deadlines!;

        Assert.Equal(new PpcDeadlines(new(2026, 11, 21), new(2026, 11, 24), new(2026, 11, 26), new(2026, 12, 21), 30), deadlines);
        var ja = IncidentReportRenderer.ToMarkdown(report, "ja");
        Assert.Contains("- 発覚日: 2026年11月21日", ja);
        Assert.Contains("- 速報の期限: 発覚日から速やかに（概ね3〜5日以内）、2026年11月24日から2026年11月26日まで", ja);
        Assert.Contains("- 確報の期限: 発覚日から30日以内、2026年12月21日まで（不正の目的をもって行われたおそれがある場合は60日以内）", ja);
        Assert.Contains("- Preliminary report (速報): promptly, about 3 to 5 days from awareness: 24 November 2026 to 26 November 2026", IncidentReportRenderer.ToMarkdown(report, "en"));

        var unlawful = report with { Records = new OperatorRecords(UnlawfulPurpose: Answer.Yes) };
        Assert.Equal(new DateOnly(2027, 1, 20), ReportAssessment.Ppc(unlawful).Deadlines!.FinalDue);
        Assert.Contains("- 確報の期限: 発覚日から60日以内、2027年1月20日まで\n", IncidentReportRenderer.ToMarkdown(unlawful, "ja"));
    }

    [Fact]
    public void GDPR_72_hour_clock_runs_from_awareness_and_says_whether_it_has_passed()
    {
        var aware = new DateTimeOffset(2026, 11, 20, 1, 7, 0, TimeSpan.Zero);
        var early = Leak() with { AwareAt = aware, GeneratedAt = aware.AddHours(70).AddMinutes(30) };
        var late = early with { GeneratedAt = aware.AddHours(72).AddMinutes(1) };

        Assert.Equal(new GdprAssessment(aware.AddHours(72), false, 1, RiskLevel.Risk), ReportAssessment.Gdpr(early));
        Assert.Equal(new GdprAssessment(aware.AddHours(72), true, 0, RiskLevel.Risk), ReportAssessment.Gdpr(late));
        Assert.Contains("- 72時間の期限: 発覚から72時間後の2026年11月23日 10:07（日本時間）まで。本報告書の作成時点で、残り1時間です。", IncidentReportRenderer.ToMarkdown(early, "ja"));
        Assert.Contains("本報告書の作成時点で、期限を過ぎています。", IncidentReportRenderer.ToMarkdown(late, "ja"));
        Assert.Contains("When this report was made, 1 hour remained.", IncidentReportRenderer.ToMarkdown(early, "en"));
        Assert.Contains("When this report was made, the deadline had passed.", IncidentReportRenderer.ToMarkdown(late, "en"));
        Assert.Equal(new GdprAssessment(null, null, null, RiskLevel.None), ReportAssessment.Gdpr(NearMiss()));
        Assert.Equal(RiskLevel.Unknown, ReportAssessment.Gdpr(Reported()).Risk);
    }

    [Fact]
    public void Kind_changes_are_listed_with_who_changed_it_when_and_why()
    {
        var changed = Leak() with
        {
            KindHistory =
            [
                new KindChange(null, IncidentKind.NearMiss, Actor.System, SentAt, "detector"),
                new KindChange(IncidentKind.NearMiss, IncidentKind.Leak, Actor.Operator("suzuki"), SentAt.AddHours(1), "先行送信分に誤りがあったことを確認"),
            ],
        };
        Assert.Contains("| 2026年11月20日 11:05（日本時間） | ヒヤリハット | 漏えい | 担当者（suzuki） | 先行送信分に誤りがあったことを確認 |", IncidentReportRenderer.ToMarkdown(changed, "ja"));
        Assert.Contains("| 20 November 2026, 11:05 (JST) | near miss | leak | operator (suzuki) |", IncidentReportRenderer.ToMarkdown(changed, "en"));
    }

    [Fact]
    public void JSON_is_language_neutral_codes_numbers_and_dates()
    {
        var report = Leak() with { Reporter = new ReporterDetails() };
        var text = IncidentReportRenderer.ToJson(report);
        var json = JsonNode.Parse(text)!;

        Assert.DoesNotMatch(@"[\u3040-\u30FF\u4E00-\u9FFF]", text);
        Assert.Equal(("leak", "detector", "notified"), (json["report"]!["kind"]!.GetValue<string>(), json["report"]!["source"]!.GetValue<string>(), json["status"]!.GetValue<string>()));
        Assert.Equal(["email", "name", "seat", "amount"], json["report"]!["scope"]!["categories"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["shared-personal-data", "fan-in-across-chunks"], json["causes"]!.AsArray().Select(c => c!["rule"]!.GetValue<string>()));
        Assert.Equal("undetermined", json["appi"]!["requirement"]!.GetValue<string>());
        Assert.Equal("unknown", json["appi"]!["unlawfulPurpose"]!.GetValue<string>());
        Assert.Equal("2026-11-23", json["appi"]!["deadlines"]!["preliminaryFrom"]!.GetValue<string>());
        Assert.Equal("2026-12-20", json["appi"]!["deadlines"]!["finalDue"]!.GetValue<string>());
        Assert.Equal(("risk", false), (json["gdpr"]!["risk"]!.GetValue<string>(), json["gdpr"]!["passed"]!.GetValue<bool>()));
        Assert.Equal("delete-request", json["report"]!["timeline"]![3]!["notice"]!.GetValue<string>());
        Assert.Equal(45156, json["report"]!["scope"]!["exposures"]!.GetValue<long>());
        Assert.Equal(["email", "name", "seat", "amount"], json["likelyConsequences"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("near-miss", JsonNode.Parse(IncidentReportRenderer.ToJson(NearMiss()))!["report"]!["kind"]!.GetValue<string>());
        Assert.Null(JsonNode.Parse(IncidentReportRenderer.ToJson(Reported()))!["report"]!["scope"]);
    }

    [Fact]
    public void Unsupported_language_is_refused()
    {
        Assert.Throws<ArgumentException>(() => IncidentReportRenderer.ToMarkdown(Leak(), "fr"));
    }

    private static IEnumerable<string> Headings(string md) => md.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal));

    /// <summary>The lines of a section up to the next heading, blank lines dropped.</summary>
    private static string[] Section(string md, string heading) => md[(md.IndexOf("\n" + heading + "\n", StringComparison.Ordinal) + heading.Length + 2)..]
        .Split('\n').TakeWhile(l => !l.StartsWith('#')).Where(l => l.Length > 0).ToArray();

    [GeneratedRegex("[A-Za-z]+")]
    private static partial Regex AsciiWord();
}
