using MisSend.TestSupport;

namespace MisSend.Integration.Tests;

[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "pipeline on Azurite";
}
