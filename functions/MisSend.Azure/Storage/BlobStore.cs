using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MisSend.Azure.Configuration;
using Microsoft.Extensions.Options;

namespace MisSend.Azure.Storage;

/// <summary>Quarantined bodies (halted or unreadable) and claim-check bodies too big for a queue message.</summary>
public sealed class BlobStore(StorageClients storage, IOptions<PipelineOptions> options)
{
    private readonly BlobContainerClient _quarantine = storage.Blobs.GetBlobContainerClient(options.Value.QuarantineContainer);
    private readonly BlobContainerClient _claimCheck = storage.Blobs.GetBlobContainerClient(options.Value.ClaimCheckContainer);

    public string ClaimCheckContainer => _claimCheck.Name;

    /// <summary>Keeps a body the pipeline will not send, with the reason beside it. Returns "container/name".</summary>
    public async Task<string> QuarantineAsync(string name, string body, string reasonJson, CancellationToken ct)
    {
        await _quarantine.GetBlobClient(name + ".json").UploadAsync(BinaryData.FromString(body), overwrite: true, ct);
        await _quarantine.GetBlobClient(name + ".reason.json").UploadAsync(BinaryData.FromString(reasonJson), overwrite: true, ct);
        return $"{_quarantine.Name}/{name}.json";
    }

    public async Task<string?> ReadQuarantinedAsync(string name, CancellationToken ct)
    {
        var blob = _quarantine.GetBlobClient(name);
        return await blob.ExistsAsync(ct) ? (await blob.DownloadContentAsync(ct)).Value.Content.ToString() : null;
    }

    public async Task UploadClaimCheckAsync(string name, byte[] body, CancellationToken ct) =>
        await _claimCheck.GetBlobClient(name).UploadAsync(new BinaryData(body), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" },
        }, ct);

    /// <summary>Reads a claim-check body, refusing one larger than the limit before downloading it.</summary>
    public async Task<byte[]> DownloadClaimCheckAsync(string name, int maxBytes, CancellationToken ct)
    {
        var blob = _claimCheck.GetBlobClient(name);
        var properties = await blob.GetPropertiesAsync(cancellationToken: ct);
        if (properties.Value.ContentLength > maxBytes)
        {
            throw new MisSend.Core.Batches.BatchFormatException(
                $"claim-check body is {properties.Value.ContentLength:N0} bytes; the limit is {maxBytes:N0} bytes");
        }

        return (await blob.DownloadContentAsync(ct)).Value.Content.ToArray();
    }

    public Task DeleteClaimCheckAsync(string name, CancellationToken ct) => _claimCheck.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: ct);

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
