using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using MisSend.Core.Text;

namespace MisSend.Core.Notices;

public enum TokenFailure
{
    [JsonStringEnumMemberName("malformed")]
    Malformed,

    [JsonStringEnumMemberName("bad-signature")]
    BadSignature,

    [JsonStringEnumMemberName("wrong-purpose")]
    WrongPurpose,

    [JsonStringEnumMemberName("expired")]
    Expired,
}

/// <summary>The purposes a link token can have. A token made for one is refused by every other.</summary>
public static class TokenPurposes
{
    /// <summary>A delete request's "deleted unread" confirmation: (incident, recipient key).</summary>
    public const string DeletedUnread = "du";

    /// <summary>A mail's "this is not for me" report: (job, chunk, personalization).</summary>
    public const string NotMine = "nm";
}

/// <summary>A valid token's fields, or why it was refused.</summary>
public sealed record TokenValidation(IReadOnlyList<string>? Fields, DateTimeOffset? ExpiresAt, TokenFailure? Failure)
{
    public bool IsValid => Failure is null;
}

/// <summary>
/// Short signed link tokens: <c>purpose.field….expiry.signature</c>, URL-safe, no padding. The signature is HMAC-SHA256
/// over everything before it, truncated to 128 bits (22 characters), compared in constant time. Fields made of
/// URL-safe characters are written as they are (ids are short); any other field is base64url-encoded behind a '~'.
/// The token is not encrypted: put keys in it, never addresses (see <see cref="RecipientKey"/>).
/// </summary>
public static class SignedToken
{
    private const int SignatureBytes = 16;

    public static string Create(string purpose, IReadOnlyList<string> fields, DateTimeOffset expiresAt, byte[] key)
    {
        if (!IsPlain(purpose))
        {
            throw new ArgumentException("a purpose is a short code of letters, digits, '-' or '_'", nameof(purpose));
        }

        var body = string.Join('.', [purpose, .. fields.Select(Encode), expiresAt.ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture)]);
        return body + "." + Base64Url.Encode(Sign(body, key));
    }

    public static TokenValidation Validate(string? token, string purpose, byte[] key, DateTimeOffset now)
    {
        var lastDot = token?.LastIndexOf('.') ?? -1;
        if (token is null || lastDot <= 0 || !Base64Url.TryDecode(token[(lastDot + 1)..], out var signature) || signature.Length != SignatureBytes)
        {
            return Failed(TokenFailure.Malformed);
        }

        var body = token[..lastDot];
        if (!CryptographicOperations.FixedTimeEquals(Sign(body, key), signature))
        {
            return Failed(TokenFailure.BadSignature);
        }

        // Genuine from here on: what remains is whether it is for this use and still valid.
        var parts = body.Split('.');
        if (parts[0] != purpose)
        {
            return Failed(TokenFailure.WrongPurpose);
        }

        if (parts.Length < 2 || !long.TryParse(parts[^1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var seconds))
        {
            return Failed(TokenFailure.Malformed);
        }

        var fields = new List<string>();
        foreach (var part in parts[1..^1])
        {
            if (Decode(part) is not { } field)
            {
                return Failed(TokenFailure.Malformed);
            }

            fields.Add(field);
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return expiresAt < now ? new TokenValidation(null, expiresAt, TokenFailure.Expired) : new TokenValidation(fields, expiresAt, null);
    }

    private static TokenValidation Failed(TokenFailure failure) => new(null, null, failure);

    private static byte[] Sign(string body, byte[] key) => HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(body)).AsSpan(0, SignatureBytes).ToArray();

    private static string Encode(string field) => IsPlain(field) ? field : "~" + Base64Url.Encode(Encoding.UTF8.GetBytes(field));

    private static string? Decode(string part) => !part.StartsWith('~')
        ? IsPlain(part) ? part : null
        : Base64Url.TryDecode(part[1..], out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static bool IsPlain(string s) => s.Length > 0 && s[0] != '~' && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>
/// The key that stands for a recipient in links and notice rows: HMAC-SHA256 of the normalized address under the
/// signing key, truncated to 96 bits. Without the key nobody can tell whose link it is, even with a list of addresses.
/// </summary>
public static class RecipientKey
{
    public static string For(string email, byte[] key) =>
        Base64Url.Encode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("recipient:" + TextNormalizer.NormalizeEmail(email))).AsSpan(0, 12));
}

internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string s, out byte[] bytes)
    {
        bytes = [];
        if (s.Length == 0 || s.Length % 4 == 1 || !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }

        var b64 = s.Replace('-', '+').Replace('_', '/');
        bytes = Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '='));

        // One encoding per value: unused trailing bits must be zero, so a token cannot be altered into another that validates.
        return Encode(bytes) == s;
    }
}
