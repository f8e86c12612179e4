using System.Security.Cryptography;
using System.Text;

namespace MisSend.Application.Inputs;

/// <summary>Identifiers derived from input. Keys never hold raw addresses: they are hashed, so they are safe in logs and URLs.</summary>
public static class Keys
{
    public static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 12));

    /// <summary>
    /// A bare body has no job id: it is a job of one, named after its queue message, which a redelivery keeps
    /// (the same body enqueued again next week is a new job, not a duplicate).
    /// </summary>
    public static string JobIdForBareMessage(string messageId) => "msg-" + messageId;

    /// <summary>One incident per job, so that chunks halting the job at the same time open the same one.</summary>
    public static string IncidentFor(string jobId) => "INC-" + Hash("job:" + jobId)[..12].ToUpperInvariant();

    /// <summary>SHA-256 of a message: a redelivery has the same one, another batch under a reused job id does not.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> message) => Convert.ToHexStringLower(SHA256.HashData(message));
}
