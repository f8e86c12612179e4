using MisSend.Azure.Configuration;
using MisSend.Infra.Tests.Arm;

namespace MisSend.Infra.Tests;

public sealed class StorageTests
{
    private static readonly PipelineOptions Defaults = new();

    public static TheoryData<string> Queues => [Defaults.OutboundQueue, Defaults.PoisonQueue];

    public static TheoryData<string> Tables => [Defaults.JobsTable, Defaults.LedgerTable, Defaults.IncidentsTable, Defaults.NoticesTable];

    public static TheoryData<string> Containers => [Defaults.QuarantineContainer, Defaults.ClaimCheckContainer];

    private static ArmResource Account => Assert.Single(Infra.Template().OfType("Microsoft.Storage/storageAccounts"));

    [Fact]
    public void Storage_account_accepts_only_entra_id_over_tls_1_2()
    {
        var account = Account;
        Assert.Equal(false, account.Get("properties.allowSharedKeyAccess"));
        Assert.Equal(false, account.Get("properties.allowBlobPublicAccess"));
        Assert.Equal("TLS1_2", account.Get("properties.minimumTlsVersion"));
    }

    [Theory]
    [MemberData(nameof(Queues))]
    public void Every_queue_the_code_uses_is_provisioned(string queue) =>
        Assert.Contains(queue, Names("Microsoft.Storage/storageAccounts/queueServices/queues"));

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_table_the_code_uses_is_provisioned(string table) =>
        Assert.Contains(table, Names("Microsoft.Storage/storageAccounts/tableServices/tables"));

    [Theory]
    [MemberData(nameof(Containers))]
    public void Every_container_the_code_uses_is_provisioned_and_private(string container)
    {
        var resource = Assert.Single(
            Infra.Template().OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => c.LeafName == container);
        Assert.Equal("None", resource.Get("properties.publicAccess"));
    }

    [Fact]
    public void Children_belong_to_the_one_storage_account()
    {
        var account = Account.Name;
        var children = Infra.Template().Resources.Where(r => r.Type.StartsWith("Microsoft.Storage/storageAccounts/", StringComparison.Ordinal));
        Assert.All(children, c => Assert.StartsWith(account + "/", c.Name));
    }

    [Fact]
    public void Nothing_reads_storage_keys_or_builds_connection_strings()
    {
        var json = Infra.CompiledJson.ToJsonString();
        Assert.DoesNotContain("listKeys", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listAccountSas", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DefaultEndpointsProtocol", json, StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> Names(string type) => Infra.Template().OfType(type).Select(r => r.LeafName).ToList();
}
