using System.Text.Json.Nodes;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Incidents;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;
using MisSend.Azure.Queueing;
using MisSend.Azure.Storage;
using MisSend.Cli.Hosting;
using MisSend.Functions;
using WireMock.Logging;
using WireMock.Server;

namespace MisSend.Integration.Tests;

/// <summary>
/// One test's world: the app's own DI registration over Azurite (resource names unique to the test) and a
/// WireMock.Net SendGrid stand-in on 127.0.0.1.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    public const string ApiKey = SendGridStandIn.ApiKey;
    public const string BatchId = SendGridStandIn.BatchId;

    private Harness(SendGridStandIn standIn, ServiceProvider services, LogCollector logs, Dictionary<string, string?> settings)
    {
        StandIn = standIn;
        Services = services;
        Logs = logs;
        Settings = settings;
    }

    public SendGridStandIn StandIn { get; }
    public WireMockServer Server => StandIn.Server;
    public ServiceProvider Services { get; }
    public LogCollector Logs { get; }
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public PipelineOptions Options => Services.GetRequiredService<IOptions<PipelineOptions>>().Value;
    public IJobStore Jobs => Services.GetRequiredService<IJobStore>();
    public IExposureLedger Ledger => Services.GetRequiredService<IExposureLedger>();
    public IIncidentStore Incidents => Services.GetRequiredService<IIncidentStore>();
    public INoticeStore Notices => Services.GetRequiredService<INoticeStore>();
    public StorageClients Storage => Services.GetRequiredService<StorageClients>();
    public BatchQueueClient QueueClient => Services.GetRequiredService<BatchQueueClient>();
    public BatchInspector Inspector => Services.GetRequiredService<BatchInspector>();
    public IncidentService IncidentService => Services.GetRequiredService<IncidentService>();
    public NoticeDispatcher Dispatcher => Services.GetRequiredService<NoticeDispatcher>();
    public PipelineSweep Sweep => Services.GetRequiredService<PipelineSweep>();

    public static async Task<Harness> StartAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null)
    {
        var standIn = SendGridStandIn.Start();
        var settings = DefaultSettings(azurite, standIn.Url);
        configure?.Invoke(settings);
        var logs = new LogCollector();
        var services = BuildServices(settings, logs, time);
        var harness = new Harness(standIn, services, logs, settings);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync();
        return harness;
    }

    /// <summary>The app's settings over resource names of their own.</summary>
    public static Dictionary<string, string?> DefaultSettings(AzuriteFixture azurite, string sendGridUrl)
    {
        return AppSettings.Merge(AppSettings.OwnStorage(azurite.ConnectionString), new Dictionary<string, string?>
        {
            ["NoticeSchedule"] = "0 */1 * * * *",
            ["SendGrid:ApiKey"] = ApiKey,
            ["SendGrid:BaseUrl"] = sendGridUrl,
            ["SendGrid:MaxRetries"] = "3",
            ["SendGrid:RetryBaseDelay"] = "00:00:00.010",
            ["SendGrid:MaxRetryDelay"] = "00:00:05",
            ["NoticeSender:FromEmail"] = "privacy@reds-seasonticket.example.jp",
            ["NoticeSender:FromName"] = "個人情報お問い合わせ窓口",
            ["NoticeSender:Organization"] = "浦和レッズ シーズンチケット事務局",
            ["NoticeSender:OrganizationEn"] = "Urawa Reds Season Ticket Office",
            ["NoticeSender:Style"] = "Office",
            ["NoticeSender:ContactEmail"] = "privacy@example.jp",
            ["NoticeSender:ContactPhone"] = "048-555-0123",
            ["NoticeSender:ContactHoursJa"] = "平日 10:00〜17:00（土日祝日を除く）",
            ["NoticeSender:ContactHoursEn"] = "weekdays 10:00–17:00 JST",
            ["NoticeSender:ConfirmationPageUrl"] = "https://www.example.jp/privacy/confirm",
            ["NoticeSender:NotMinePageUrl"] = NotMinePage,
            ["Notices:SigningKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        });
    }

    /// <summary>
    /// The app's registration over the given settings. A <paramref name="time"/> registered first wins over the
    /// app's <c>TryAddSingleton(TimeProvider.System)</c>.
    /// </summary>
    public static ServiceProvider BuildServices(IReadOnlyDictionary<string, string?> settings, LogCollector logs, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton<IConfiguration>(configuration);
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        return collection.AddFunctionServices(configuration).BuildServiceProvider();
    }

    /// <summary>A second instance of the app (another worker): same storage names and stand-in, its own service provider.</summary>
    public ServiceProvider BuildPeer(TimeProvider? time = null) => BuildServices(Settings, Logs, time);

    /// <summary>The stand-in's normal answers: mail/send 202, mail/batch 201 with a batch id, scheduled_sends 201.</summary>
    public void StubSendGrid(int mailSendStatus = 202) => StandIn.StubDefaults(mailSendStatus);

    public List<ILogEntry> Requests(string path) => StandIn.Requests(path);

    public List<ILogEntry> MailSends => Requests("/v3/mail/send");

    public static JsonNode Body(ILogEntry entry) => SendGridStandIn.Body(entry);

    /// <summary>The body as the sender wrote it: without the attempt id the pipeline adds to custom_args (recipients never see custom_args).</summary>
    public static JsonNode SentMail(ILogEntry entry)
    {
        var body = Body(entry).AsObject();
        var args = body["custom_args"]!.AsObject();
        Assert.Matches("^[0-9a-f]{32}$", args[OutgoingMail.AttemptArg]!.GetValue<string>());
        args.Remove(OutgoingMail.AttemptArg);
        if (args.Count == 0)
        {
            body.Remove("custom_args");
        }

        foreach (var personalization in body["personalizations"]!.AsArray().Select(p => p!.AsObject()))
        {
            RemoveNotMineLink(personalization);
        }

        return body;
    }

    /// <summary>
    /// Takes the "not mine" link the pipeline adds out of a sent personalization (asserting that it is there, once, and
    /// points at the sender's page with a token), so that what is left can be compared with the batch's own mail.
    /// </summary>
    public static string RemoveNotMineLink(JsonObject personalization)
    {
        var (holder, key) = personalization["substitutions"] is JsonObject substitutions
            ? (substitutions, OutgoingMail.NotMineTag)
            : (personalization["dynamic_template_data"]!.AsObject(), OutgoingMail.NotMineKey);
        var url = holder[key]!.GetValue<string>();
        Assert.StartsWith(NotMinePage + "?token=", url);
        holder.Remove(key);
        if (holder.Count == 0)
        {
            personalization.Remove(key == OutgoingMail.NotMineKey ? "dynamic_template_data" : "substitutions");
        }

        return url;
    }

    public const string NotMinePage = "https://www.example.jp/privacy/not-mine";

    public static string? Header(ILogEntry entry, string name) => SendGridStandIn.Header(entry, name);

    /// <summary>Puts the batch on the real outbound queue and receives it, as the host would.</summary>
    public async Task<QueueMessage> EnqueueAndReceiveAsync(string batchJson)
    {
        await QueueClient.EnqueueAsync(batchJson);
        return await ReceiveAsync();
    }

    public async Task<QueueMessage> ReceiveAsync()
    {
        var message = (await QueueClient.Queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30))).Value;
        return message ?? throw new InvalidOperationException("the outbound queue is empty");
    }

    /// <summary>Runs the InspectBatch function class, built from the app's registration, on a real queue message.</summary>
    public Task RunFunctionAsync(QueueMessage message) =>
        Services.GetRequiredService<InspectBatch>().Run(message, CancellationToken.None);

    /// <summary>The same work the function does, returning its outcome.</summary>
    public Task<InspectionResult> HandleAsync(QueueMessage message) =>
        Inspector.HandleAsync(message.Body.ToString(), message.MessageId, CancellationToken.None);

    /// <summary>One tick of the timer function, built from the app's registration: the sweep, then the notices.</summary>
    public Task TickAsync() =>
        Services.GetRequiredService<DispatchNotices>().Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

    /// <summary>A copy of a received message as a redelivery: same id and body, one more dequeue.</summary>
    public static QueueMessage Redelivery(QueueMessage m) =>
        QueuesModelFactory.QueueMessage(m.MessageId, "pop-" + Guid.NewGuid().ToString("N"), m.Body, m.DequeueCount + 1);

    /// <summary>The local runner, with host.json's maxDequeueCount, as the CLI builds it.</summary>
    public LocalQueueRunner Runner(TimeSpan visibility, TimeSpan retryBackoff, HostSettings? host = null) =>
        new(Storage, Inspector, Services.GetRequiredService<IOptions<PipelineOptions>>(), host ?? HostSettings.Load(Path.Combine(Repository.Root, "host.json")),
            Services.GetRequiredService<ILogger<LocalQueueRunner>>())
        { VisibilityTimeout = visibility, RetryBackoff = retryBackoff };

    public async Task<string?> QuarantineBlobAsync(string name)
    {
        var blob = Storage.Blobs.GetBlobContainerClient(Options.QuarantineContainer).GetBlobClient(name);
        return await blob.ExistsAsync() ? (await blob.DownloadContentAsync()).Value.Content.ToString() : null;
    }

    public async ValueTask DisposeAsync()
    {
        StandIn.Dispose();
        await Services.DisposeAsync();
    }
}
