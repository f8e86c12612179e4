using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MisSend.Local;

/// <summary>
/// Azurite from the repository's own package.json, installed with npm when missing, on 127.0.0.1: in memory on free
/// ports for the tests (<see cref="StartAsync"/>), or persistent on the emulator's standard ports for the local host
/// (<see cref="StartPersistentAsync"/>). Disposed, it stops.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    /// <summary>Azurite's documented, public development account key (not a secret).</summary>
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly bool _persistent;

    private Azurite(Process process, int blobPort, int queuePort, int tablePort, bool persistent)
    {
        _process = process;
        _persistent = persistent;
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DevAccountKey + ";" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    /// <summary>The ports of Azure's storage emulator, which <c>UseDevelopmentStorage=true</c> means.</summary>
    public static readonly (int Blob, int Queue, int Table) StandardPorts = (10000, 10001, 10002);

    /// <summary>Where the local host keeps Azurite's state, under the repository (git-ignored).</summary>
    public const string StateFolder = ".azurite";

    public string ConnectionString { get; }

    /// <summary>In memory, on free ports: a test's or a demo's own storage.</summary>
    public static Task<Azurite> StartAsync(string repositoryRoot, Action<string>? progress = null, CancellationToken ct = default) =>
        StartAsync(repositoryRoot, (FreePort(), FreePort(), FreePort()), persistent: false, "--inMemoryPersistence", "in memory", progress, ct);

    /// <summary>
    /// Persistent under <see cref="StateFolder"/> on the standard ports, so that <c>UseDevelopmentStorage=true</c> reaches
    /// it and what one command writes the next one reads.
    /// </summary>
    public static Task<Azurite> StartPersistentAsync(string repositoryRoot, Action<string>? progress = null, CancellationToken ct = default)
    {
        var location = Path.Combine(repositoryRoot, StateFolder);
        Directory.CreateDirectory(location);
        return StartAsync(repositoryRoot, StandardPorts, persistent: true, $"--location \"{location}\"", $"state kept in {StateFolder}/", progress, ct);
    }

    /// <summary>Whether something accepts connections on <paramref name="host"/>:<paramref name="port"/> within <paramref name="timeout"/>.</summary>
    public static async Task<bool> IsListeningAsync(string host, int port, TimeSpan timeout)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await client.ConnectAsync(host, port, cts.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<Azurite> StartAsync(string repositoryRoot, (int Blob, int Queue, int Table) ports, bool persistent, string persistence, string described, Action<string>? progress, CancellationToken ct)
    {
        var bin = Path.Combine(repositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(bin))
        {
            progress?.Invoke("Installing Azurite from package.json (npm ci)...");
            await RunAsync("npm", "ci --no-audit --no-fund", repositoryRoot, ct);
        }

        var (blob, queue, table) = ports;
        var start = new ProcessStartInfo(bin,
            $"--silent --skipApiVersionCheck {persistence} --disableTelemetry " +
            $"--blobHost 127.0.0.1 --blobPort {blob} --queueHost 127.0.0.1 --queuePort {queue} --tableHost 127.0.0.1 --tablePort {table}")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start Azurite");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new Azurite(process, blob, queue, table, persistent);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var port in new[] { blob, queue, table })
        {
            while (!await IsListeningAsync("127.0.0.1", port, TimeSpan.FromSeconds(1)))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    await azurite.DisposeAsync();
                    throw new InvalidOperationException($"Azurite did not start on 127.0.0.1:{port} (exit code {(process.HasExited ? process.ExitCode : -1)}).");
                }

                await Task.Delay(100, ct);
            }
        }

        progress?.Invoke($"Azurite is running on 127.0.0.1 (blob {blob}, queue {queue}, table {table}), {described}.");
        return azurite;
    }

    /// <summary>The folder holding package.json and Detector.sln, found from <paramref name="start"/> upwards.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Detector.sln")) && File.Exists(Path.Combine(dir.FullName, "package.json")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Detector.sln with package.json above {start}: run from the repository.");
    }

    public async ValueTask DisposeAsync()
    {
        // Persistent Azurite writes its database on shutdown: ask it to stop (SIGTERM), and kill it only if it does not.
        if (_persistent && !_process.HasExited && !OperatingSystem.IsWindows() && SendSignal(_process.Id, SigTerm) == 0)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments, string directory, CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, UseShellExecute = false })
            ?? throw new InvalidOperationException($"could not start {file}");
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed with exit code {process.ExitCode}.");
        }
    }
}
