using Microsoft.Extensions.Options;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
using MisSend.Core.Reports;

namespace MisSend.Core.Tests;

/// <summary>The season-ticket office of the seed incident, its customers, and one report of each kind.</summary>
internal static class IncidentFixtures
{
    /// <summary>2026-11-20 10:05 JST.</summary>
    public static readonly DateTimeOffset SentAt = new(2026, 11, 20, 1, 5, 0, TimeSpan.Zero);

    public static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3)).ToArray();

    public static readonly (string Name, string Email)[] Customers =
    [
        ("山田 太郎", "taro.yamada@example.jp"),
        ("佐藤 花子", "hanako.sato@example.ne.jp"),
        ("鈴木 一郎", "ichiro.suzuki@example.co.jp"),
        ("高橋 美咲", "misaki.takahashi@example.jp"),
        ("田中 健太", "kenta.tanaka@example.or.jp"),
        ("伊藤 さくら", "sakura.ito@example.jp"),
    ];

    public static readonly DataCategory[] GuideCategories = [DataCategory.Email, DataCategory.Name, DataCategory.Seat, DataCategory.Amount];

    /// <summary>A payment-guide job: customer i is personalization i % 3 of chunk i / 3 + 1, sent a minute per chunk.</summary>
    public static List<JobDelivery> Deliveries(int customers = 6) => Enumerable.Range(0, customers).Select(i => new JobDelivery(
        Chunk: (i / 3) + 1,
        Personalization: i % 3,
        Recipient: Customers[i].Email,
        Subject: new DataSubject("member:" + (1001 + i), Customers[i].Email, Customers[i].Name),
        Categories: GuideCategories,
        SentAt: SentAt.AddMinutes(i / 3))).ToList();

    public static NoticeSenderOptions Sender() => new()
    {
        Organization = "浦和レッズ シーズンチケット事務局",
        OrganizationEn = "Urawa Reds Season Ticket Office",
        Style = SenderStyle.Office,
        ContactEmail = "privacy@reds-seasonticket.example.jp",
        ContactPhone = "048-555-0123",
        ContactHoursJa = "平日 10:00〜17:00（土日祝日を除く）",
        ContactHoursEn = "weekdays 10:00–17:00 JST",
        ConfirmationPageUrl = "https://www.reds-seasonticket.example.jp/privacy/confirm",
        NotMinePageUrl = "https://www.reds-seasonticket.example.jp/privacy/not-mine",
    };

    public static NoticeRenderer Renderer() => new(Options.Create(Sender()));

    public static readonly ReporterDetails Reporter = new()
    {
        LegalName = "浦和レッドダイヤモンズ株式会社",
        Address = "〒330-0000 埼玉県さいたま市浦和区一丁目1番1号",
        Representative = "代表取締役 浦和 一郎",
        DataProtectionOfficer = "個人情報保護管理者 埼玉 花子",
        Phone = "048-555-0123",
        Email = "privacy@reds-seasonticket.example.jp",
    };

    public static readonly DateTimeOffset AwareAt = SentAt.AddMinutes(2);

    /// <summary>Chunk 1 went out with rows of two people mixed up; chunk 2 was halted by the detector.</summary>
    public static IncidentReport Leak() => new(
        IncidentId: "INC-7F3KQ2M9X4AB",
        JobId: "reds-2027-payment-guide",
        Kind: IncidentKind.Leak,
        Source: IncidentSource.Detector,
        OpenedReason: null,
        GeneratedAt: AwareAt.AddHours(5),
        OccurredAt: SentAt,
        AwareAt: AwareAt,
        Reporter: Reporter,
        KindHistory: [new KindChange(null, IncidentKind.Leak, Actor.System, AwareAt, "detector")],
        Timeline:
        [
            new(SentAt, TimelineEventKind.ChunkSent, Actor.System, Chunk: 1, Count: 213),
            new(AwareAt, TimelineEventKind.Detected, Actor.System, Chunk: 2),
            new(AwareAt, TimelineEventKind.Halted, Actor.System, Count: 3),
            new(AwareAt.AddMinutes(1), TimelineEventKind.NoticeWave, Actor.System, Count: 213, Notice: NoticeKind.DeleteRequest),
            new(AwareAt.AddMinutes(2), TimelineEventKind.NoticeWave, Actor.System, Count: 212, Notice: NoticeKind.Apology),
            new(AwareAt.AddMinutes(40), TimelineEventKind.DeletedUnreadConfirmed, Actor.Recipient, Count: 10),
        ],
        Scope: new ReportScope(ScopeBasis.Ledger, 212, 213, 45_156, [DataCategory.Email, DataCategory.Name, DataCategory.Seat, DataCategory.Amount], 2, []),
        Prevented: new PreventedExposure(640, 640, [DataCategory.Email, DataCategory.Name, DataCategory.Amount]),
        Findings:
        [
            new ReportFinding(2, Rules.SharedPersonalData, 0, 213, [DataCategory.Name, DataCategory.Amount]),
            new ReportFinding(2, Rules.FanInAcrossChunks, null, 4, [DataCategory.Name]),
        ],
        Chunks: new ChunkProgress(4, 1, 0, 3, 0, 0),
        Notices: new NoticeProgress(new NoticeCounts(210, 0, 0, 0), new NoticeCounts(213, 0, 0, 0), 10),
        Records: OperatorRecords.None);

    /// <summary>Chunk 1 halted before anything of the job left.</summary>
    public static IncidentReport NearMiss() => Leak() with
    {
        Kind = IncidentKind.NearMiss,
        OccurredAt = SentAt,
        AwareAt = SentAt,
        KindHistory = [new KindChange(null, IncidentKind.NearMiss, Actor.System, SentAt, "detector")],
        Timeline =
        [
            new(SentAt, TimelineEventKind.Detected, Actor.System, Chunk: 1),
            new(SentAt, TimelineEventKind.Halted, Actor.System, Count: 4),
        ],
        Scope = null,
        Prevented = new PreventedExposure(213, 212, GuideCategories),
        Findings = [new ReportFinding(1, Rules.VisibleRecipients, 0, 213, [DataCategory.Email])],
        Chunks = new ChunkProgress(4, 0, 0, 4, 0, 0),
        Notices = NoticeProgress.None,
    };

    /// <summary>The detector passed the job; customers phoned in; the operator opened it. No scope declared yet.</summary>
    public static IncidentReport Reported() => Leak() with
    {
        Kind = IncidentKind.Reported,
        Source = IncidentSource.Operator,
        OpenedReason = "お客様から、他人の請求金額が届いたと電話がありました",
        AwareAt = SentAt.AddHours(2),
        KindHistory = [new KindChange(null, IncidentKind.Reported, Actor.Operator("suzuki"), SentAt.AddHours(2), "お客様から、他人の請求金額が届いたと電話がありました")],
        Timeline =
        [
            new(SentAt, TimelineEventKind.ChunkSent, Actor.System, Chunk: 1, Count: 213),
            new(SentAt.AddHours(2), TimelineEventKind.IncidentOpened, Actor.Operator("suzuki")),
        ],
        Scope = null,
        Prevented = null,
        Findings = [],
        Chunks = new ChunkProgress(1, 1, 0, 0, 0, 0),
        Notices = NoticeProgress.None,
    };

    /// <summary>The reported incident after the operator declared "everyone received everything" and notices went out.</summary>
    public static IncidentReport ReportedDeclared() => Reported() with
    {
        Timeline =
        [
            .. Reported().Timeline,
            new(SentAt.AddHours(2.2), TimelineEventKind.ScopeDeclared, Actor.Operator("suzuki"), Declaration: ScopeDeclarationKind.Everyone),
            new(SentAt.AddHours(2.25), TimelineEventKind.NoticeWave, Actor.System, Count: 213, Notice: NoticeKind.DeleteRequest),
            new(SentAt.AddHours(2.26), TimelineEventKind.NoticeWave, Actor.System, Count: 213, Notice: NoticeKind.Apology),
        ],
        Scope = new ReportScope(ScopeBasis.Declared, 213, 213, 45_156, GuideCategories, 0,
            [new ScopeDeclarationSummary(ScopeDeclarationKind.Everyone, Actor.Operator("suzuki"), SentAt.AddHours(2.2), null, null)]),
        Notices = new NoticeProgress(new NoticeCounts(211, 0, 2, 0), new NoticeCounts(213, 0, 0, 0), 0),
    };
}
