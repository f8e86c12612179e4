using Microsoft.Extensions.Options;
using MisSend.Application.Incidents;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Core.Notices;

namespace MisSend.Application.Notices;

/// <summary>
/// The one place where the records become what a notice says (<see cref="IncidentFacts"/>, <see cref="NoticeTarget"/>).
/// A notice states only what the records show: a step is named only once it has happened.
/// </summary>
public sealed class NoticeContent(IOptions<OrganizationOptions> organization, IOptions<NoticeOptions> notices, TimeProvider time)
{
    public string ContactEmail(IncidentRecord incident) => incident.ContactEmail ?? organization.Value.ContactEmail;

    /// <param name="rows">The incident's notice rows as they are now.</param>
    public IncidentFacts Facts(IncidentSnapshot snapshot, IReadOnlyList<NoticeRecord> rows)
    {
        var (ja, en) = (new List<string>(), new List<string>());
        if (snapshot.Job?.State == JobState.Halted)
        {
            ja.Add("該当する送信ジョブを停止し、未送信のメールの送信を取りやめました。");
            en.Add("We halted the send job and stopped every mail not yet sent.");
        }

        var deletes = rows.Where(r => r.Kind == NoticeKind.DeleteRequest).ToList();
        if (deletes.Count > 0 && deletes.All(r => r.State == NoticeState.Sent))
        {
            ja.Add("誤って受け取った方に、開封せず削除していただくようお願いしました。");
            en.Add("We asked everyone who received your data to delete it unread.");
        }

        var firstSent = snapshot.Job?.FirstSentAt ?? snapshot.Attribution.Reached.Min(e => e.SentAt) ?? snapshot.Incident.OpenedAt;
        return new IncidentFacts(snapshot.Incident.IncidentId, organization.Value.Organization, ContactEmail(snapshot.Incident), firstSent, ja, en);
    }

    public NoticeTarget Target(string incidentId, NoticeRecord n)
    {
        if (n.Kind == NoticeKind.Apology)
        {
            return new NoticeTarget(NoticeKind.Apology, n.Email, n.Language, n.Categories, n.RecipientCount, 0);
        }

        var options = notices.Value;
        var expires = time.GetUtcNow() + options.ConfirmLinkValidity;
        var token = ConfirmationToken.Create(new(incidentId, Keys.Hash(n.Email), expires), options.SigningKeyBytes());
        var url = $"{options.LinkBaseUrl.TrimEnd('/')}/confirm?token={Uri.EscapeDataString(token)}";
        return new NoticeTarget(NoticeKind.DeleteRequest, n.Email, n.Language, n.Categories, 0, n.MailCount, url, expires);
    }
}
