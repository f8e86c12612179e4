using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Core.Notices;

namespace MisSend.Application.Notices;

/// <summary>Who is told what: one apology per reachable data subject, one delete request per wrong recipient. Pure.</summary>
public static class NoticePlanner
{
    /// <param name="keyOf">The keyed <see cref="RecipientKey"/> of an address (the row's key).</param>
    public static IEnumerable<NoticeRecord> Plan(IncidentRecord incident, IncidentScope scope, Func<string, string> keyOf)
    {
        // Several data subjects may share one address (a parent's, for two children): one apology, which names
        // someone only when they all bear the same name.
        foreach (var subject in scope.Subjects.Where(s => s.Subject.Email is not null).GroupBy(s => s.Subject.Email!))
        {
            var names = subject.Select(s => s.Subject.Name).Distinct().ToList();
            yield return new NoticeRecord(incident.IncidentId, NoticeKind.Apology, subject.Key, keyOf(subject.Key))
            {
                Language = LanguageFor(incident, subject.Key),
                Name = names.Count == 1 ? names[0] : null,
                SubjectKey = subject.First().Subject.Key,
                Categories = subject.SelectMany(s => s.Categories).Distinct().Order().ToArray(),
                RecipientCount = subject.Max(s => s.RecipientCount),
                FirstSentAt = subject.Min(s => s.FirstSentAt),
            };
        }

        foreach (var recipient in scope.Recipients)
        {
            var mail = scope.Mails.GetValueOrDefault(recipient.Address);
            yield return new NoticeRecord(incident.IncidentId, NoticeKind.DeleteRequest, recipient.Address, keyOf(recipient.Address))
            {
                Language = LanguageFor(incident, recipient.Address),
                Name = mail?.Name,
                Categories = recipient.Categories,
                MailCount = recipient.SubjectCount,
                FirstSentAt = recipient.FirstSentAt,
                MailSubject = mail?.SafeSubject,
            };
        }
    }

    private static string LanguageFor(IncidentRecord incident, string email) => NoticeLanguage.For(incident.Language, email);
}
