using System.Text.Json.Nodes;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Azure.Configuration;
using MisSend.Cli.Hosting;
using MisSend.TestSupport;
using MisSend.Azure.Pipeline;
using MisSend.Azure.Queueing;
using MisSend.Azure.Storage;
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
    public JobStore Jobs => Services.GetRequiredService<JobStore>();
    public LedgerStore Ledger => Services.GetRequiredService<LedgerStore>();
    public IncidentStore Incidents => Services.GetRequiredService<IncidentStore>();
    public StorageClients Storage => Services.GetRequiredService<StorageClients>();
    public BatchQueueClient QueueClient => Services.GetRequiredService<BatchQueueClient>();
    public PipelineFaults Faults => Services.GetRequiredService<PipelineFaults>();

    public static async Task<Harness> StartAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null)
    {
        var standIn = SendGridStandIn.Start();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["OutboundQueueName"] = $"outbound-{suffix}",
            ["NoticeSchedule"] = "0 */1 * * * *",
            ["Pipeline:JobsTable"] = $"Jobs{suffix}",
            ["Pipeline:LedgerTable"] = $"Ledger{suffix}",
            ["Pipeline:IncidentsTable"] = $"Incidents{suffix}",
            ["Pipeline:NoticesTable"] = $"Notices{suffix}",
            ["Pipeline:QuarantineContainer"] = $"quarantine-{suffix}",
            ["Pipeline:ClaimCheckContainer"] = $"claim-check-{suffix}",
            ["SendGrid:ApiKey"] = ApiKey,
            ["SendGrid:BaseUrl"] = standIn.Url,
            ["SendGrid:MaxRetries"] = "3",
            ["SendGrid:RetryBaseDelay"] = "00:00:00.010",
            ["SendGrid:MaxRetryDelay"] = "00:00:05",
            ["SendGrid:FromEmail"] = "privacy@reds-seasonticket.example.jp",
            ["SendGrid:FromName"] = "個人情報お問い合わせ窓口",
            ["Notices:LinkBaseUrl"] = "http://localhost:7071/api",
            ["NoticeSender:Organization"] = "浦和レッズ シーズンチケット事務局",
            ["NoticeSender:Style"] = "Office",
            ["NoticeSender:ContactEmail"] = "privacy@example.jp",
            ["NoticeSender:ContactPhone"] = "048-555-0123",
            ["NoticeSender:ContactHoursJa"] = "平日 10:00〜17:00（土日祝日を除く）",
            ["NoticeSender:ContactHoursEn"] = "weekdays 10:00–17:00 JST",
            ["NoticeSender:ConfirmationPageUrl"] = "https://www.example.jp/privacy/confirm",
            ["Notices:SigningKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        };
        configure?.Invoke(settings);
        var logs = new LogCollector();
        var services = BuildServices(settings, logs, time);
        var harness = new Harness(standIn, services, logs, settings);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync();
        return harness;
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

    /// <summary>The same work the function does, returning the handler's outcome.</summary>
    public Task<InspectionResult> HandleAsync(QueueMessage message) =>
        Services.GetRequiredService<InspectBatchHandler>().HandleAsync(message.Body.ToString(), message.MessageId, CancellationToken.None);

    /// <summary>A copy of a received message as a redelivery: same id and body, one more dequeue.</summary>
    public static QueueMessage Redelivery(QueueMessage m) =>
        QueuesModelFactory.QueueMessage(m.MessageId, "pop-" + Guid.NewGuid().ToString("N"), m.Body, m.DequeueCount + 1);

    public LocalQueueRunner Runner(TimeSpan visibility, TimeSpan retryBackoff) =>
        new(Storage, Services.GetRequiredService<InspectBatchHandler>(), Services.GetRequiredService<IOptions<PipelineOptions>>(),
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
