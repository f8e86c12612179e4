using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MisSend.Azure;
using MisSend.Azure.Configuration;
using MisSend.Azure.Storage;
using MisSend.Local;
using MisSend.TestSupport;

namespace MisSend.Benchmarks;

/// <summary>
/// Azurite (from the repository's package.json, in memory on 127.0.0.1) and a WireMock.Net SendGrid stand-in on 127.0.0.1,
/// and the app's own DI registration over them, with storage names unique to each iteration.
/// </summary>
public sealed class World : IAsyncDisposable
{
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private World(Azurite azurite, SendGridStandIn standIn)
    {
        Azurite = azurite;
        StandIn = standIn;
    }

    public Azurite Azurite { get; }
    public SendGridStandIn StandIn { get; }

    public static async Task<World> StartAsync()
    {
        var azurite = await Azurite.StartAsync(Repository.Root, Console.WriteLine);
        return new World(azurite, SendGridStandIn.Start(maxRequestLogCount: 2));
    }

    /// <summary>A fresh service provider over fresh tables and containers; storage created before it returns.</summary>
    public ServiceProvider NewServices()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(AppSettings.Merge(
            AppSettings.OwnStorage(Azurite.ConnectionString),
            AppSettings.NoticeSender(),
            new Dictionary<string, string?>
            {
                ["SendGrid:ApiKey"] = "SG.bench",
                ["SendGrid:BaseUrl"] = StandIn.Url,
                ["Notices:SigningKey"] = _signingKey,
                ["NoticeSender:Style"] = "Office",
            })).Build();
        var services = new ServiceCollection().AddLogging().AddMisSendServices(config).BuildServiceProvider();
        services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync().GetAwaiter().GetResult();
        return services;
    }

    /// <summary>Drops the tables and containers of a provider, so Azurite's in-memory store does not grow run after run.</summary>
    public static async Task DropAsync(ServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        var storage = services.GetRequiredService<StorageClients>();
        foreach (var table in new[] { o.JobsTable, o.LedgerTable, o.IncidentsTable, o.NoticesTable })
        {
            await storage.Tables.DeleteTableAsync(table);
        }

        foreach (var container in new[] { o.QuarantineContainer, o.ClaimCheckContainer })
        {
            await storage.Blobs.GetBlobContainerClient(container).DeleteIfExistsAsync();
        }

        await storage.Queues.GetQueueClient(o.OutboundQueue).DeleteIfExistsAsync();
        await storage.Queues.GetQueueClient(o.PoisonQueue).DeleteIfExistsAsync();
        await services.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        StandIn.Dispose();
        await Azurite.DisposeAsync();
    }

}
