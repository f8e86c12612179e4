namespace MisSend.Core.Notices;

/// <summary>The token of a delete request's "deleted unread" link: incident and recipient key, signed, expiring.</summary>
public static class ConfirmationToken
{
    /// <param name="RecipientKey">The recipient's <see cref="Notices.RecipientKey"/>, never the address.</param>
    public sealed record Claims(string IncidentId, string RecipientKey, DateTimeOffset ExpiresAt);

    public static string Create(Claims claims, byte[] key) =>
        SignedToken.Create(TokenPurposes.DeletedUnread, [claims.IncidentId, claims.RecipientKey], claims.ExpiresAt, key);

    /// <summary>The claims when the token is genuine, for this purpose and unexpired; otherwise null and why.</summary>
    public static (Claims? Claims, TokenFailure? Failure) Validate(string? token, byte[] key, DateTimeOffset now)
    {
        var result = SignedToken.Validate(token, TokenPurposes.DeletedUnread, key, now);
        return result switch
        {
            { Failure: { } failure } => (null, failure),
            { Fields: [var incidentId, var recipientKey] } => (new Claims(incidentId, recipientKey, result.ExpiresAt!.Value), null),
            _ => (null, TokenFailure.Malformed),
        };
    }
}
