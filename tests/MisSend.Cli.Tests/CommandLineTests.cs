using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage.Queues;

namespace MisSend.Cli.Tests;

/// <summary>
/// Every command, given bad input or a missing dependency, answers in one or two lines with an exit code that says
/// which: 64 usage, 2 invalid input, 69 something it needs is not there. Never a stack trace.
/// </summary>
public sealed class CommandLineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("missend-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Storage on a loopback port nobody listens on.</summary>
    private static string Unreachable()
    {
        var port = FreePort();
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static TheoryData<string, string[], string> UsageErrors() => new()
    {
        { "an unknown option is not a file", ["scan", "--jsn", "samples/payment-guide.json"], "unknown option '--jsn'" },
        { "no files", ["scan"], "Required argument missing" },
        { "an unknown command", ["frobnicate"], "Unrecognized command or argument 'frobnicate'" },
        { "an empty reason", ["incident", "open", "--job", "j1", "--reason", ""], "--reason must not be empty" },
        { "a blank reason", ["incident", "open", "--job", "j1", "--reason", "   "], "--reason must not be empty" },
        { "no reason", ["incident", "open", "--job", "j1"], "Option '--reason' is required" },
        { "a language the report does not have", ["report", "INC-1", "--lang", "fr"], "fr" },
        { "a port out of range", ["run", "--port", "99999"], "--port must be between 1 and 65535" },
        { "a chunk size SendGrid would refuse", ["enqueue", "--chunk-size", "0", "samples/payment-guide.json"], "--chunk-size must be between 1 and 1000" },
        { "an unknown option of enqueue", ["enqueue", "--jobb", "x", "samples/payment-guide.json"], "unknown option '--jobb'" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task A_usage_error_exits_64_with_the_parsers_message_and_where_to_find_help(string what, string[] args, string message)
    {
        var run = await Detector.RunAsync(args);

        Assert.True(run.Exit == ExitCodes.Usage, $"{what}: exit {run.Exit}\n{run.All}");
        Assert.Contains(message, run.Errors);
        Assert.Contains("--help' for usage.", run.Errors);
        Assert.Equal("", run.Output);
        Assert.False(Detector.HasStackTrace(run.All), run.All);
    }

    [Fact]
    public async Task A_file_after_double_dash_may_start_with_a_dash()
    {
        var file = Write("-guide.json", File.ReadAllBytes(Repository.Sample("payment-guide.json")));

        var run = await Detector.RunInAsync(_dir, "scan", "--", "-guide.json");

        Assert.Equal(ExitCodes.Pass, run.Exit);
        Assert.Contains("-guide.json: PASS", run.Output);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task Scan_accepts_a_byte_order_mark_names_a_directory_and_gives_one_json_position_style()
    {
        var bom = Write("bom.json", [0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(Repository.Sample("payment-guide.json"))]);
        var broken = Write("broken.json", "{\"personalizations\": [,]}"u8.ToArray());

        var run = await Detector.RunAsync("scan", bom, broken, _dir, Path.Combine(_dir, "missing.json"));

        Assert.Equal(ExitCodes.InvalidInput, run.Exit);
        Assert.Contains($"{bom}: PASS", run.Output);
        Assert.Contains($"{broken}: ERROR invalid JSON: ',' is an invalid start of a value. (line 1, column 23)", run.Errors);
        Assert.DoesNotContain("LineNumber", run.All);
        Assert.Contains($"{_dir}: ERROR is a directory, not a batch file", run.Errors);
        Assert.Contains("missing.json: ERROR file not found", run.Errors);
        Assert.False(Detector.HasStackTrace(run.All), run.All);
    }

    public static TheoryData<string, string[]> StorageCommands() => new()
    {
        { "report", ["report", "INC-0123456789AB"] },
        { "incident open", ["incident", "open", "--job", "reds-2027-renewal", "--reason", "customers phoned in"] },
        { "enqueue", ["enqueue", "samples/payment-guide.json"] },
        { "run", ["run", "--port", "0"] },
    };

    [Theory]
    [MemberData(nameof(StorageCommands))]
    public async Task Storage_that_cannot_be_reached_is_one_line_naming_the_address_at_once(string command, string[] args)
    {
        var storage = Unreachable();
        var clock = Stopwatch.StartNew();

        var run = await Detector.RunAsync([.. args, "--storage", storage]);

        Assert.True(run.Exit == ExitCodes.Unavailable, $"{command}: exit {run.Exit}\n{run.All}");
        var port = new Uri(storage.Split("QueueEndpoint=")[1].Split(';')[0]).Port;
        Assert.Equal($"detector: storage is not reachable at 127.0.0.1:{port}: check --storage or AzureWebJobsStorage, and the network", run.Errors.Trim());
        Assert.False(Detector.HasStackTrace(run.All), run.All);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{command} took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_storage_setting_that_is_not_a_connection_string_is_invalid_input()
    {
        var run = await Detector.RunAsync("report", "INC-0123456789AB", "--storage", "not a connection string");

        Assert.Equal(ExitCodes.InvalidInput, run.Exit);
        Assert.StartsWith("detector: the storage connection string (--storage or AzureWebJobsStorage) cannot be read", run.Errors);
        Assert.Single(run.Errors.Trim().Split('\n'));
    }

    [Fact]
    public async Task On_fresh_storage_report_and_incident_open_create_the_tables_and_say_plainly_what_is_not_there()
    {
        // Azurite of its own: no table exists yet.
        await using var fresh = await MisSend.Local.Azurite.StartAsync(Repository.Root);

        var report = await Detector.RunAsync("report", "INC-0123456789AB", "--storage", fresh.ConnectionString);
        var open = await Detector.RunAsync("incident", "open", "--job", "reds-2027-renewal", "--reason", "お客様から電話", "--storage", fresh.ConnectionString);

        Assert.Equal((ExitCodes.InvalidInput, ExitCodes.InvalidInput), (report.Exit, open.Exit));
        Assert.StartsWith("no incident 'INC-0123456789AB' in this storage", report.Errors);
        Assert.Equal("no job 'reds-2027-renewal' in the ledger", open.Errors.Trim());
        Assert.DoesNotContain("TableNotFound", report.All + open.All);
        Assert.False(Detector.HasStackTrace(report.All + open.All), report.All + open.All);
    }

    [Fact]
    public async Task Enqueue_refuses_everything_when_one_file_is_bad_and_queues_nothing()
    {
        var broken = Write("broken.json", "{\"personalizations\": "u8.ToArray());

        var run = await Detector.RunInAsync(Repository.Root, "enqueue", "samples/payment-guide.json", broken, _dir, "--storage", azurite.ConnectionString);

        Assert.Equal(ExitCodes.InvalidInput, run.Exit);
        Assert.Contains($"{broken}: invalid JSON", run.Errors);
        Assert.Contains($"{_dir}: is a directory, not a batch file", run.Errors);
        Assert.Contains("nothing was queued", run.Errors);
        var queue = new QueueServiceClient(azurite.ConnectionString).GetQueueClient("outbound-batches");
        Assert.False(await queue.ExistsAsync() && (await queue.PeekMessagesAsync(32)).Value.Length > 0);
    }

    [Fact]
    public async Task Run_on_a_port_in_use_says_so_in_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = await Detector.RunAsync("run", "--port", $"{port}", "--storage", azurite.ConnectionString);

        Assert.Equal(ExitCodes.Unavailable, run.Exit);
        Assert.Contains($"127.0.0.1:{port}", run.Errors);
        Assert.Single(run.Errors.Trim().Split('\n'));
        Assert.False(Detector.HasStackTrace(run.All), run.All);
    }

    [Fact]
    public async Task An_unexpected_failure_is_one_line_and_its_stack_trace_only_with_verbose()
    {
        // A notice setting the app refuses at start-up (an http link to a public host) is reported, not thrown.
        var start = new[] { "run", "--port", "0", "--storage", azurite.ConnectionString };
        var environment = new Dictionary<string, string> { ["NoticeSender__ConfirmationPageUrl"] = "http://detector.example.jp/confirm" };

        var quiet = await Detector.RunWithAsync(Repository.Root, environment, start);
        var verbose = await Detector.RunWithAsync(Repository.Root, environment, [.. start, "--verbose"]);

        Assert.Equal(ExitCodes.InvalidInput, quiet.Exit);
        Assert.Contains("ConfirmationPageUrl must be an absolute https:// URL", quiet.Errors);
        Assert.Single(quiet.Errors.Trim().Split('\n'));
        Assert.False(Detector.HasStackTrace(quiet.All), quiet.All);
        Assert.True(Detector.HasStackTrace(verbose.Errors), verbose.Errors);
    }
}
