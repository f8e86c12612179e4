using System.Security.Cryptography;
using System.Text;

namespace MisSend.Azure.Storage;

/// <summary>Table keys never hold raw addresses: they are hashed, so keys are safe in logs and URLs.</summary>
public static class StorageKeys
{
    public static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 12));

    public static string Chunk(int chunk) => $"chunk-{chunk:D5}";

    /// <summary>
    /// A bare body has no job id: it is a job of one, named after its queue message, which a redelivery keeps
    /// (the same body enqueued again next week is a new job, not a duplicate).
    /// </summary>
    public static string JobIdForBareMessage(string messageId) => "msg-" + messageId;

    /// <summary>One incident per job, so that chunks halting the job at the same time open the same one.</summary>
    public static string IncidentFor(string jobId) => "INC-" + Hash("job:" + jobId)[..12].ToUpperInvariant();
}
