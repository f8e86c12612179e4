using System.Globalization;

namespace MisSend.Core.Notices;

/// <summary>
/// The token of a mail's "this mail is not for me" link: the job, chunk and personalization it was sent as, and the
/// language of the page it opens. Signed and expiring; it names no person (a recipient is found through the ledger).
/// </summary>
public static class NotMineToken
{
    /// <param name="Language">"ja" or "en": the page the recipient sees.</param>
    public sealed record Claims(string JobId, int Chunk, int Personalization, string Language, DateTimeOffset ExpiresAt);

    public static string Create(Claims claims, byte[] key) =>
        SignedToken.Create(TokenPurposes.NotMine,
            [claims.JobId, Number(claims.Chunk), Number(claims.Personalization), claims.Language], claims.ExpiresAt, key);

    /// <summary>The claims when the token is genuine, for this purpose and unexpired; otherwise null and why.</summary>
    public static (Claims? Claims, TokenFailure? Failure) Validate(string? token, byte[] key, DateTimeOffset now)
    {
        var result = SignedToken.Validate(token, TokenPurposes.NotMine, key, now);
        return result switch
        {
            { Failure: { } failure } => (null, failure),
            { Fields: [var jobId, var chunk, var personalization, var language] }
                when language is "ja" or "en"
                && int.TryParse(chunk, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c >= 1
                && int.TryParse(personalization, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
                => (new Claims(jobId, c, p, language, result.ExpiresAt!.Value), null),
            _ => (null, TokenFailure.Malformed),
        };
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
