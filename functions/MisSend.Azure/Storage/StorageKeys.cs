using Azure.Data.Tables;
using MisSend.Application.Inputs;

namespace MisSend.Azure.Storage;

/// <summary>Row keys. Keys never hold raw addresses: they are hashed (<see cref="Keys.Hash"/>).</summary>
internal static class StorageKeys
{
    public static string Chunk(int chunk) => $"chunk-{chunk:D5}";

    public static string PrefixFilter(string partition, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix + "\uffff"}");
}
