using MisSend.Azure.Local;

namespace MisSend.Integration.Tests;

/// <summary>One Azurite (in memory, loopback, free ports) for the whole test run; every test uses its own resource names.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite is not running");

    public async Task InitializeAsync() =>
        _azurite = await Azurite.StartAsync(Azurite.FindRepositoryRoot(AppContext.BaseDirectory));

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "pipeline on Azurite";
}
