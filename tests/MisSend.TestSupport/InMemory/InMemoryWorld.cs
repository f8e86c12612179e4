using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MisSend.Application;
using MisSend.Application.Incidents;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.Core.Notices;

namespace MisSend.TestSupport.InMemory;

/// <summary>
/// The application over in-memory ports, a test clock and one <see cref="FaultPlan"/>: the app's own services
/// (<see cref="ApplicationServiceCollectionExtensions.AddMisSendApplication"/>), wired as in Azure.
/// </summary>
public sealed class InMemoryWorld : IDisposable
{
    public const string SigningKey = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    public const string ConfirmationPage = "https://www.reds-seasonticket.example.jp/privacy/confirm";
    public const string NotMinePage = "https://www.reds-seasonticket.example.jp/privacy/not-mine";

    private InMemoryWorld(Action<ReliabilityOptions>? reliability, Action<NoticeOptions>? notices, Action<AlertOptions>? alerts)
    {
        Jobs = new InMemoryJobStore(Faults);
        Ledger = new InMemoryExposureLedger(Faults);
        Incidents = new InMemoryIncidentStore(Faults);
        Notices = new InMemoryNoticeStore(Faults);
        Bodies = new InMemoryBodyStore(Faults);
        SendGrid = new FakeSendGrid(Faults, Clock);
        Services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs))
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton<IJobStore>(Jobs)
            .AddSingleton<IExposureLedger>(Ledger)
            .AddSingleton<IIncidentStore>(Incidents)
            .AddSingleton<INoticeStore>(Notices)
            .AddSingleton<IBodyStore>(Bodies)
            .AddSingleton<IClaimCheckStore>(ClaimChecks)
            .AddSingleton<IMailSender>(SendGrid)
            .Configure<ReliabilityOptions>(o => reliability?.Invoke(o))
            .Configure<InspectionOptions>(_ => { })
            .Configure<NoticeSenderOptions>(o =>
            {
                o.Organization = "浦和レッズ シーズンチケット事務局";
                o.OrganizationEn = "Urawa Reds Season Ticket Office";
                o.Style = SenderStyle.Office;
                o.ContactEmail = "privacy@reds-seasonticket.example.jp";
                o.ContactPhone = "048-555-0123";
                o.ContactHoursJa = "平日 10:00〜17:00（土日祝日を除く）";
                o.ContactHoursEn = "weekdays 10:00–17:00 JST";
                o.ConfirmationPageUrl = ConfirmationPage;
                o.NotMinePageUrl = NotMinePage;
            })
            .Configure<NoticeOptions>(o =>
            {
                o.SigningKey = SigningKey;
                notices?.Invoke(o);
            })
            .Configure<AlertOptions>(o => alerts?.Invoke(o))
            .AddMisSendApplication()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public FaultPlan Faults { get; } = new();
    public TestClock Clock { get; } = new();
    public LogCollector Logs { get; } = new();
    public InMemoryJobStore Jobs { get; }
    public InMemoryExposureLedger Ledger { get; }
    public InMemoryIncidentStore Incidents { get; }
    public InMemoryNoticeStore Notices { get; }
    public InMemoryBodyStore Bodies { get; }
    public InMemoryClaimCheckStore ClaimChecks { get; } = new();
    public FakeSendGrid SendGrid { get; }
    public ServiceProvider Services { get; }

    public BatchInspector Inspector => Services.GetRequiredService<BatchInspector>();
    public NoticeDispatcher Dispatcher => Services.GetRequiredService<NoticeDispatcher>();
    public PipelineSweep Sweep => Services.GetRequiredService<PipelineSweep>();
    public IncidentService IncidentService => Services.GetRequiredService<IncidentService>();
    public NotMineService NotMine => Services.GetRequiredService<NotMineService>();

    public static InMemoryWorld Create(Action<ReliabilityOptions>? reliability = null, Action<NoticeOptions>? notices = null, Action<AlertOptions>? alerts = null) =>
        new(reliability, notices, alerts);

    /// <summary>Runs the queue trigger's work on a message, as one delivery of it.</summary>
    public Task<InspectionResult> HandleAsync(string message, string messageId = "msg-1") =>
        Inspector.HandleAsync(message, messageId, CancellationToken.None);

    /// <summary>One tick of the timer: the sweep, then the notices.</summary>
    public async Task<DispatchSummary> TickAsync()
    {
        await Sweep.RunAsync(CancellationToken.None);
        return await Dispatcher.DispatchAsync(CancellationToken.None);
    }

    public string? Kept(string name) => Bodies.ReadText(name);

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public void Dispose() => Services.Dispose();
}
