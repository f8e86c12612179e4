using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Core.Notices;

namespace MisSend.Application.Notices;

/// <summary>Who is told what: one apology per reachable data subject, one delete request per wrong recipient. Pure.</summary>
public static class NoticePlanner
{
    public static IEnumerable<NoticeRecord> Plan(IncidentRecord incident, IReadOnlyList<Exposure> reached)
    {
        foreach (var subject in reached.Where(e => e.SubjectEmail is not null).GroupBy(e => e.SubjectEmail!))
        {
            yield return new NoticeRecord(incident.IncidentId, NoticeKind.Apology, subject.Key)
            {
                Language = LanguageFor(incident, subject.Key),
                Categories = subject.SelectMany(e => e.Categories).Distinct().Order().ToArray(),
                RecipientCount = subject.Select(e => e.Recipient).Where(r => r != subject.Key).Distinct().Count(),
            };
        }

        foreach (var recipient in reached.GroupBy(e => e.Recipient))
        {
            yield return new NoticeRecord(incident.IncidentId, NoticeKind.DeleteRequest, recipient.Key)
            {
                Language = LanguageFor(incident, recipient.Key),
                Categories = recipient.SelectMany(e => e.Categories).Distinct().Order().ToArray(),
                MailCount = recipient.Select(e => (e.SubjectKey, e.Chunk)).Distinct().Count(),
            };
        }
    }

    /// <summary>The job's policy decides; without one, Japanese for .jp addresses and English otherwise.</summary>
    private static string LanguageFor(IncidentRecord incident, string email) =>
        incident.Language ?? (email.EndsWith(".jp", StringComparison.OrdinalIgnoreCase) ? "ja" : "en");
}
