using System.Security.Cryptography;
using System.Text;

namespace MisSend.Core.Notices;

/// <summary>
/// The signed, expiring token in a delete request's "deleted unread" link: incident, recipient key and expiry,
/// HMAC-SHA256 signed. It carries a hash of the address, never the address.
/// </summary>
public static class ConfirmationToken
{
    public sealed record Claims(string IncidentId, string RecipientKey, DateTimeOffset ExpiresAt);

    public static string Create(Claims claims, byte[] key)
    {
        var payload = $"{claims.IncidentId}|{claims.RecipientKey}|{claims.ExpiresAt.ToUnixTimeSeconds()}";
        var body = Base64Url(Encoding.UTF8.GetBytes(payload));
        return $"{body}.{Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(body)))}";
    }

    /// <summary>The claims when the token is genuine and unexpired; otherwise null and the reason.</summary>
    public static (Claims? Claims, string? Error) Validate(string? token, byte[] key, DateTimeOffset now)
    {
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 2)
        {
            return (null, "malformed token");
        }

        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts[0]));
        byte[] given;
        try
        {
            given = FromBase64Url(parts[1]);
        }
        catch (FormatException)
        {
            return (null, "malformed token");
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return (null, "invalid signature");
        }

        var fields = Encoding.UTF8.GetString(FromBase64Url(parts[0])).Split('|');
        if (fields.Length != 3 || !long.TryParse(fields[2], out var expires))
        {
            return (null, "malformed token");
        }

        var claims = new Claims(fields[0], fields[1], DateTimeOffset.FromUnixTimeSeconds(expires));
        return claims.ExpiresAt < now ? (null, "expired") : (claims, null);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string s)
    {
        var b64 = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '='));
    }
}
