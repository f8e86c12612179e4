using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;
using MisSend.Core.Batches;

namespace MisSend.Azure.Storage;

/// <summary>The quarantine container: kept chunk bodies with their reasons, and messages set aside.</summary>
public sealed class BlobBodyStore(StorageClients storage, IOptions<PipelineOptions> options) : IBodyStore
{
    private readonly BlobContainerClient _container = storage.Blobs.GetBlobContainerClient(options.Value.QuarantineContainer);

    public async Task KeepAsync(string jobId, int chunk, ReadOnlyMemory<byte> message, CancellationToken ct) =>
        await Json(Name(jobId, chunk) + ".json").UploadAsync(new BinaryData(message), Upload, ct);

    public async Task<byte[]?> ReadKeptAsync(string jobId, int chunk, CancellationToken ct)
    {
        try
        {
            return (await _container.GetBlobClient(Name(jobId, chunk) + ".json").DownloadContentAsync(ct)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteKeptAsync(string jobId, int chunk, CancellationToken ct) =>
        await _container.GetBlobClient(Name(jobId, chunk) + ".json").DeleteIfExistsAsync(cancellationToken: ct);

    public async Task WriteReasonAsync(string jobId, int chunk, string reasonJson, CancellationToken ct) =>
        await Json(Name(jobId, chunk) + ".reason.json").UploadAsync(BinaryData.FromString(reasonJson), Upload, ct);

    public async Task SetAsideAsync(string name, ReadOnlyMemory<byte> message, string reasonJson, CancellationToken ct)
    {
        await Json(name + ".json").UploadAsync(new BinaryData(message), Upload, ct);
        await Json(name + ".reason.json").UploadAsync(BinaryData.FromString(reasonJson), Upload, ct);
    }

    private static string Name(string jobId, int chunk) => $"{jobId}/{StorageKeys.Chunk(chunk)}";

    private BlobClient Json(string name) => _container.GetBlobClient(name);

    private static readonly BlobUploadOptions Upload = new() { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" } };
}

/// <summary>The claim-check container: bodies too big for a queue message. Only this container is ever read.</summary>
public sealed class BlobClaimCheckStore(StorageClients storage, IOptions<PipelineOptions> options) : IClaimCheckStore
{
    private readonly BlobContainerClient _container = storage.Blobs.GetBlobContainerClient(options.Value.ClaimCheckContainer);

    public string Container => _container.Name;

    public async Task UploadAsync(string name, byte[] body, CancellationToken ct) =>
        await _container.GetBlobClient(name).UploadAsync(new BinaryData(body), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" },
        }, ct);

    public async Task<byte[]?> ReadAsync(string blobName, int maxBytes, CancellationToken ct)
    {
        var blob = _container.GetBlobClient(blobName);
        try
        {
            // Refuse a body larger than the limit before downloading it.
            var properties = await blob.GetPropertiesAsync(cancellationToken: ct);
            if (properties.Value.ContentLength > maxBytes)
            {
                throw new BatchFormatException($"claim-check body is {properties.Value.ContentLength:N0} bytes; the limit is {maxBytes:N0} bytes");
            }

            return (await blob.DownloadContentAsync(ct)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string blobName, CancellationToken ct) => await _container.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: ct);
}
