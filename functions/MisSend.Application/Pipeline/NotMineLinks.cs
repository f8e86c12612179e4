using Microsoft.Extensions.Options;
using MisSend.Application.Notices;
using MisSend.Core.Batches;
using MisSend.Core.Notices;

namespace MisSend.Application.Pipeline;

/// <summary>
/// The signed "this mail is not for me" link of each personalization a chunk sends: the sender's own page
/// (<see cref="NoticeSenderOptions.NotMinePageUrl"/>) with a token bound to the job, chunk and personalization, in the
/// recipient's language, valid for <see cref="NoticeOptions.NotMineLinkValidity"/>.
/// </summary>
public sealed class NotMineLinks(IOptions<NoticeSenderOptions> sender, IOptions<NoticeOptions> notices, TimeProvider time)
{
    /// <summary>The link of personalization i of the chunk; null when the job's policy turns the links off.</summary>
    public Func<int, string>? For(string jobId, int chunk, MailBody mail, BatchPolicy policy)
    {
        if (!policy.NotMineLink)
        {
            return null;
        }

        var (page, key, expires) = (sender.Value.NotMinePageUrl, notices.Value.SigningKeyBytes(), time.GetUtcNow() + notices.Value.NotMineLinkValidity);
        return i =>
        {
            var language = NoticeLanguage.For(policy.Language, mail.Personalizations[i].To[0].Email);
            return $"{page}?token={Uri.EscapeDataString(NotMineToken.Create(new(jobId, chunk, i, language, expires), key))}";
        };
    }

    /// <summary>The claims of a genuine, unexpired "not mine" token; otherwise null and why.</summary>
    public (NotMineToken.Claims? Claims, TokenFailure? Failure) Validate(string? token) =>
        NotMineToken.Validate(token, notices.Value.SigningKeyBytes(), time.GetUtcNow());
}
