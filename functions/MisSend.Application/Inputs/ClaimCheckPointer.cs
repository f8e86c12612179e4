using System.Text.Json;
using System.Text.RegularExpressions;

namespace MisSend.Application.Inputs;

/// <summary>
/// The claim-check message <c>{"claimCheck":{"container":"claim-check","blob":"…","bytes":N}}</c>: the batch is in
/// a blob because it is too big for a queue message. A pointer may only name a safe blob in the claim-check container.
/// </summary>
public static partial class ClaimCheckPointer
{
    public static string Create(string container, string blob, long bytes) =>
        JsonSerializer.Serialize(new { claimCheck = new { container, blob, bytes } });

    /// <summary>
    /// Not a pointer: <see cref="ClaimCheckRead.NotAPointer"/>. A pointer to a safe name in <paramref name="container"/>:
    /// its blob name. Any other pointer: the reason it is refused.
    /// </summary>
    public static ClaimCheckRead Read(string message, string container)
    {
        if (message.Length > 2048 || !message.Contains("\"claimCheck\"", StringComparison.Ordinal))
        {
            return ClaimCheckRead.NotAPointer;
        }

        JsonElement pointer;
        try
        {
            using var doc = JsonDocument.Parse(message);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("claimCheck", out var cc))
            {
                return ClaimCheckRead.NotAPointer;
            }

            pointer = cc.Clone();
        }
        catch (JsonException)
        {
            return ClaimCheckRead.NotAPointer;
        }

        if (pointer.ValueKind != JsonValueKind.Object)
        {
            return ClaimCheckRead.Refused("claim-check pointer: \"claimCheck\" must be an object");
        }

        var named = pointer.TryGetProperty("container", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        if (named is not null && named != container)
        {
            return ClaimCheckRead.Refused($"claim-check pointer names container \"{named}\"; only \"{container}\" is read");
        }

        var blob = pointer.TryGetProperty("blob", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        return blob is not null && IsSafeName(blob)
            ? ClaimCheckRead.Blob(blob)
            : ClaimCheckRead.Refused("claim-check pointer: \"blob\" must be a non-empty relative name of letters, digits, '-', '_', '.' and '/' segments, without \"..\"");
    }

    /// <summary>A relative blob name whose every segment is a plain name (no "", "." or "..").</summary>
    public static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 512
        && SafeName().IsMatch(name)
        && name.Split('/').All(segment => segment.Length > 0 && segment.Trim('.').Length > 0);

    [GeneratedRegex(@"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}

public sealed record ClaimCheckRead(string? BlobName, string? Problem)
{
    public static readonly ClaimCheckRead NotAPointer = new(null, null);

    public bool IsPointer => BlobName is not null || Problem is not null;

    public static ClaimCheckRead Blob(string name) => new(name, null);

    public static ClaimCheckRead Refused(string problem) => new(null, problem);
}
