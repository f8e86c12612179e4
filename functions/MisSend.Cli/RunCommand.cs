using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;
using MisSend.Azure.Storage;
using MisSend.Cli.Hosting;
using MisSend.Local;

namespace MisSend.Cli;

/// <summary>
/// <c>detector run</c>: the function app on this machine, as <c>func start</c> would run it. Storage (Azurite, started
/// when nobody runs it), the queue trigger polled like the host polls it, the notice timer every minute, and the HTTP
/// functions with the operator console on 127.0.0.1, all built from the app's own DI registration.
/// </summary>
public static class RunCommand
{
    public const int DefaultPort = 7071;
    public const string DefaultOutbox = "outbox";

    public sealed record Options(string? Storage, string? Outbox, int Port, bool Verbose)
    {
        /// <summary>How often the timer ticks (the app's NoticeSchedule is every minute).</summary>
        public TimeSpan TickInterval { get; init; } = TimeSpan.FromMinutes(1);

        /// <summary>How long the runner waits when the queue is empty (the host's maxPollingInterval).</summary>
        public TimeSpan IdlePoll { get; init; } = TimeSpan.FromSeconds(2);
    }

    public static async Task<int> RunAsync(Options options, TextWriter output, CancellationToken ct, Action<Uri>? started = null)
    {
        await using var storage = await LocalStorage.OpenAsync(options.Storage, output.WriteLine, ct);
        var environment = LocalServices.Configuration(new Dictionary<string, string?>());
        var settings = OperatorCommands.Settings(storage.ConnectionString);
        var outbox = options.Outbox ?? (string.IsNullOrEmpty(environment[$"{SendGridOptions.SectionName}:{nameof(SendGridOptions.ApiKey)}"]) ? DefaultOutbox : null);
        var notes = LocalNoticeSettings(environment, settings, options.Port);
        if (outbox is not null)
        {
            // The app validates SendGrid's settings at start-up; the outbox replaces the sender, so none is needed.
            settings[$"{SendGridOptions.SectionName}:{nameof(SendGridOptions.ApiKey)}"] = "not-used-mails-go-to-the-outbox";
        }

        var configuration = LocalServices.Configuration(settings);

        await using var app = LocalFunctionHost.Build(configuration, options.Port,
            services => services.AddLocalServices(configuration, options.Verbose ? LogLevel.Debug : LogLevel.Information, outbox, options.Verbose)
                .Configure<LoggerFilterOptions>(f => f.AddFilter(typeof(NoticeDispatcher).FullName, options.Verbose ? LogLevel.Information : LogLevel.Warning)));
        LocalServices.Validate(app.Services, sendsMail: outbox is null, sendsNotices: true);
        await app.Services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        await app.StartAsync(ct);
        var address = LocalFunctionHost.Address(app);
        output.WriteLine($"Mis-send Detector running on {address} (storage: {(storage.Started ? $"Azurite, state in {Azurite.StateFolder}/" : Describe(storage.ConnectionString))}).");
        output.WriteLine($"  console      {address}");
        foreach (var function in LocalFunctionHost.AppFunctions.Where(f => !f.Route.StartsWith("console", StringComparison.Ordinal)))
        {
            output.WriteLine($"  {string.Join(",", function.Methods),-9}    {new Uri(address, function.Path.TrimStart('/')).AbsoluteUri.Replace("%7B", "{").Replace("%7D", "}")}  ({function.Name})");
        }

        output.WriteLine($"  mails        {(outbox is null ? "SendGrid (SendGrid__ApiKey)" : $"{outbox}/ as .eml files (set SendGrid__ApiKey to send through SendGrid)")}");
        foreach (var note in notes)
        {
            output.WriteLine($"  {note}");
        }

        output.WriteLine("Polling the outbound queue; notices every minute. Ctrl+C stops.");
        started?.Invoke(address);
        try
        {
            await PollAsync(app.Services, options, output, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        output.WriteLine("Stopping.");
        await app.StopAsync(CancellationToken.None);
        return ExitCodes.Pass;
    }

    /// <summary>The queue trigger (drained while it has messages) and the timer, until cancelled.</summary>
    private static async Task PollAsync(IServiceProvider services, Options options, TextWriter output, CancellationToken ct)
    {
        var runner = services.GetRequiredService<LocalQueueRunner>();
        var sweep = services.GetRequiredService<PipelineSweep>();
        var dispatcher = services.GetRequiredService<NoticeDispatcher>();
        var incidents = services.GetRequiredService<IIncidentStore>();
        var queue = services.GetRequiredService<StorageClients>().Queues.GetQueueClient(services.GetRequiredService<IOptions<PipelineOptions>>().Value.OutboundQueue);
        var nextTick = DateTimeOffset.UtcNow;
        var handled = 0;
        while (!ct.IsCancellationRequested)
        {
            var results = await runner.DrainOnceAsync(ct);
            handled += results.Count;
            if (DateTimeOffset.UtcNow >= nextTick)
            {
                var settling = await sweep.RunAsync(ct);
                var notices = await dispatcher.DispatchAsync(ct);
                var open = (await incidents.ListOpenAsync(ct)).Count;
                var waiting = (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
                output.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} tick: {handled} messages inspected since the last tick, {waiting} waiting; {open} open incidents; "
                    + $"notices {notices.Sent} sent, {notices.Pending} pending, {notices.Unconfirmed} unconfirmed, {notices.Failed} refused; {settling} chunks or cancels settling");
                handled = 0;
                nextTick = DateTimeOffset.UtcNow + options.TickInterval;
            }

            if (results.Count == 0)
            {
                await Task.Delay(options.IdlePoll, ct);
            }
        }
    }

    /// <summary>
    /// Notices need a signing key, a confirmation page and who they speak for. Unless they are set, the local host signs
    /// with a key of its own, kept beside Azurite's state so confirmation links stay valid across runs, links to itself,
    /// and names itself as a local run (set NoticeSender__* to see your own organisation in the notices).
    /// </summary>
    internal static List<string> LocalNoticeSettings(IConfiguration environment, IDictionary<string, string?> settings, int port)
    {
        var notes = new List<string>();
        var sender = new Dictionary<string, string>
        {
            ["NoticeSender:Organization"] = "ローカル実行（NoticeSender__Organization 未設定）",
            ["NoticeSender:OrganizationEn"] = "Local run (NoticeSender__Organization not set)",
            ["NoticeSender:ContactEmail"] = "privacy@localhost.example",
            ["NoticeSender:ContactPhone"] = "000-0000-0000",
            ["NoticeSender:ContactHoursJa"] = "未設定（ローカル実行）",
            ["NoticeSender:ContactHoursEn"] = "not set (local run)",
            ["NoticeSender:ConfirmationPageUrl"] = $"http://127.0.0.1:{port}/api/confirm",
            ["NoticeSender:NotMinePageUrl"] = $"http://127.0.0.1:{port}/api/not-mine",
        };
        var defaulted = sender.Where(s => string.IsNullOrEmpty(environment[s.Key])).ToList();
        foreach (var (key, value) in defaulted)
        {
            settings[key] = value;
        }

        if (defaulted.Count > 0)
        {
            notes.Add($"notices      local placeholders for {string.Join(", ", defaulted.Select(d => d.Key.Replace(':', '_').Replace("_", "__", StringComparison.Ordinal)))} (set them to see your own)");
        }

        if (string.IsNullOrEmpty(environment["Notices:SigningKey"]))
        {
            string? root = null;
            try
            {
                root = Azurite.FindRepositoryRoot(Directory.GetCurrentDirectory());
            }
            catch (DirectoryNotFoundException)
            {
            }

            var file = root is null ? null : Path.Combine(root, Azurite.StateFolder, "notice-signing-key");
            if (file is not null && !File.Exists(file))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }

            settings["Notices:SigningKey"] = file is null ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : File.ReadAllText(file).Trim();
            notes.Add(file is null
                ? "links        signed with a key for this run only (set Notices__SigningKey to keep links valid)"
                : $"links        signed with a local key in {Azurite.StateFolder}/notice-signing-key (set Notices__SigningKey to use your own)");
        }

        return notes;
    }

    private static string Describe(string connectionString) =>
        string.Join(", ", LocalStorage.Endpoints(connectionString).Select(u => $"{u.Host}:{u.Port}").Distinct());
}
