using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MisSend.Application.Ports;
using MisSend.Cli;
using MisSend.Local;

namespace MisSend.Console.Tests;

/// <summary>
/// <c>detector run</c> in process, as a person starts it (storage given, outbox in a temporary folder, any free port),
/// over an Azurite of its own, and a headless chromium driven by Playwright. The timer ticks every second here so
/// that notices follow a halt at once.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Japanese text renders as boxes without it.</summary>
    public const string JapaneseFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _output = new();
    private Azurite? _azurite;
    private Task<int>? _run;
    private IPlaywright? _playwright;

    public Uri Address { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public ServiceProvider Services { get; private set; } = null!;
    public string ConnectionString => _azurite!.ConnectionString;
    public string Outbox { get; } = Path.Combine(Path.GetTempPath(), "missend-console-outbox-" + Guid.NewGuid().ToString("N")[..8]);
    public static string Screenshots { get; } = Path.Combine(Repository.Root, "tests", "MisSend.Console.Tests", "TestResults", "screenshots");

    /// <summary>What <c>detector run</c> printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public IJobStore Jobs => Services.GetRequiredService<IJobStore>();
    public IIncidentStore Incidents => Services.GetRequiredService<IIncidentStore>();

    public async Task InitializeAsync()
    {
        await EnsureChromiumAsync();
        Directory.CreateDirectory(Screenshots);
        _azurite = await Azurite.StartAsync(Repository.Root);
        var started = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = TextWriter.Synchronized(_output);
        var options = new RunCommand.Options(ConnectionString, Outbox, Port: 0, Verbose: false) { TickInterval = TimeSpan.FromSeconds(1), IdlePoll = TimeSpan.FromMilliseconds(200) };
        _run = Task.Run(() => RunCommand.RunAsync(options, output, _stop.Token, started.SetResult));
        var first = await Task.WhenAny(started.Task, _run, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != started.Task)
        {
            throw new InvalidOperationException("detector run did not start: " + Output + (_run.IsFaulted ? _run.Exception : ""));
        }

        Address = started.Task.Result;
        Services = LocalServices.Build(OperatorCommands.Settings(ConnectionString), outbox: Outbox);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString(), AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    /// <summary>Polls until the condition holds (the queue trigger and the timer run on their own schedule).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited 60 s for {what}");
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        if (Services is not null)
        {
            await Services.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        if (Directory.Exists(Outbox))
        {
            Directory.Delete(Outbox, recursive: true);
        }
    }

    /// <summary>Debian's chromium, installed with apt as .ci/run does when a machine does not have it yet.</summary>
    private static async Task EnsureChromiumAsync()
    {
        if (File.Exists(ChromiumPath) && File.Exists(JapaneseFont))
        {
            return;
        }

        foreach (var arguments in new[] { "update -qq", "install -y -qq chromium fonts-noto-cjk" })
        {
            using var apt = Process.Start(new ProcessStartInfo("apt-get", arguments) { Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" } })
                ?? throw new InvalidOperationException("apt-get could not be started: install chromium and fonts-noto-cjk");
            await apt.WaitForExitAsync();
            if (apt.ExitCode != 0)
            {
                throw new InvalidOperationException($"apt-get {arguments} failed ({apt.ExitCode}): install chromium and fonts-noto-cjk (as root) and run the tests again");
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleHost>
{
    public const string Name = "console in chromium";
}
