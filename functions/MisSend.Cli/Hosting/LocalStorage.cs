using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using MisSend.Azure.Storage;
using MisSend.Local;

namespace MisSend.Cli.Hosting;

/// <summary>The storage a command cannot work without, and how to start it, in one line.</summary>
public sealed class StorageUnavailableException(string message) : Exception(message);

/// <summary>
/// The storage account a command works on: <c>--storage</c>, else <c>$AzureWebJobsStorage</c>, else Azure's storage
/// emulator (<c>UseDevelopmentStorage=true</c>). Its endpoints are probed first with a short timeout, so a missing
/// storage is said at once instead of after the SDK's retries. The emulator, when nobody runs it, is started from the
/// repository's Azurite, persistent under <c>.azurite/</c>, for as long as the command runs.
/// </summary>
public sealed class LocalStorage : IAsyncDisposable
{
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    private readonly Azurite? _started;

    private LocalStorage(string connectionString, Azurite? started)
    {
        ConnectionString = connectionString;
        _started = started;
    }

    public string ConnectionString { get; }

    /// <summary>This command started Azurite (it stops with the command; its state stays in .azurite/).</summary>
    public bool Started => _started is not null;

    public static string Resolve(string? storage) =>
        storage ?? (Environment.GetEnvironmentVariable(StorageClients.Setting) is { Length: > 0 } fromEnvironment ? fromEnvironment : DevelopmentStorage);

    public static async Task<LocalStorage> OpenAsync(string? storage, Action<string> progress, CancellationToken ct)
    {
        var connectionString = Resolve(storage);
        var endpoints = Endpoints(connectionString);
        var unreachable = await FirstUnreachableAsync(endpoints);
        if (unreachable is null)
        {
            return new LocalStorage(connectionString, null);
        }

        var development = string.Equals(connectionString.Trim().TrimEnd(';'), DevelopmentStorage, StringComparison.OrdinalIgnoreCase);
        string? root = null;
        try
        {
            root = development ? Azurite.FindRepositoryRoot(Directory.GetCurrentDirectory()) : null;
        }
        catch (DirectoryNotFoundException)
        {
        }

        if (root is null)
        {
            throw new StorageUnavailableException(development
                ? $"storage is not reachable at {unreachable.Host}:{unreachable.Port} (Azurite): run 'detector run' from the repository (it starts Azurite), or start Azurite yourself: npx azurite --location .azurite --skipApiVersionCheck"
                : $"storage is not reachable at {unreachable.Host}:{unreachable.Port}: check --storage or AzureWebJobsStorage, and the network");
        }

        var azurite = await Azurite.StartPersistentAsync(root, progress, ct);
        return new LocalStorage(connectionString, azurite);
    }

    /// <summary>The blob, queue and table endpoints a connection string names. Throws <see cref="FormatException"/> for one the SDK cannot read.</summary>
    public static IReadOnlyList<Uri> Endpoints(string connectionString)
    {
        try
        {
            return [new BlobServiceClient(connectionString).Uri, new QueueServiceClient(connectionString).Uri, new TableServiceClient(connectionString).Uri];
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException("the storage connection string (--storage or AzureWebJobsStorage) cannot be read: " + e.Message, e);
        }
    }

    private static async Task<Uri?> FirstUnreachableAsync(IReadOnlyList<Uri> endpoints)
    {
        var probes = endpoints.Select(async u => (Uri: u, Up: await Azurite.IsListeningAsync(u.Host, u.Port, ProbeTimeout))).ToList();
        return (await Task.WhenAll(probes)).FirstOrDefault(p => !p.Up).Uri;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started is not null)
        {
            await _started.DisposeAsync();
        }
    }
}
