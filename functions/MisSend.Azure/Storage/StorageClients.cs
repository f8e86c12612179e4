using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace MisSend.Azure.Storage;

/// <summary>
/// Storage clients from the same setting the Functions host uses: <c>AzureWebJobsStorage</c> as a connection string
/// (Azurite locally) or, in Azure, the identity-based <c>AzureWebJobsStorage__accountName</c> / <c>__clientId</c>.
/// </summary>
public sealed class StorageClients
{
    public const string Setting = "AzureWebJobsStorage";

    public StorageClients(IConfiguration configuration)
    {
        var connectionString = configuration[Setting];
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            Queues = new QueueServiceClient(connectionString, queueOptions);
            Blobs = new BlobServiceClient(connectionString);
            Tables = new TableServiceClient(connectionString);
            return;
        }

        var section = configuration.GetSection(Setting);
        var account = section["accountName"] ?? throw new InvalidOperationException(
            $"Storage is not configured: set {Setting} to a connection string (UseDevelopmentStorage=true for Azurite) or {Setting}__accountName for a managed identity.");
        TokenCredential credential = section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        Uri Endpoint(string service) =>
            new(section[$"{service}ServiceUri"] ?? $"https://{account}.{service}.{section["endpointSuffix"] ?? "core.windows.net"}");
        Queues = new QueueServiceClient(Endpoint("queue"), credential, queueOptions);
        Blobs = new BlobServiceClient(Endpoint("blob"), credential);
        Tables = new TableServiceClient(Endpoint("table"), credential);
    }

    public QueueServiceClient Queues { get; }
    public BlobServiceClient Blobs { get; }
    public TableServiceClient Tables { get; }
}
