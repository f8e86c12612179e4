using MisSend.Local;
using Xunit;

namespace MisSend.TestSupport;

/// <summary>One Azurite (in memory, loopback, free ports) for a test collection; every test uses its own resource names.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite is not running");

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync(Repository.Root);

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
