using Microsoft.Extensions.Options;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;

namespace MisSend.Application.Notices;

/// <summary>
/// The one place where the records become what a notice says (<see cref="IncidentFacts"/>, <see cref="NoticeTarget"/>).
/// A notice states only what the records show: a step is "done" only once the records show it happened.
/// </summary>
public sealed class NoticeContent(IOptions<NoticeOptions> notices, TimeProvider time)
{
    /// <summary>The keyed key that stands for an address in notice rows and links.</summary>
    public string KeyOf(string email) => RecipientKey.For(email, notices.Value.SigningKeyBytes());

    public IncidentFacts Facts(IncidentSnapshot snapshot, IReadOnlyList<ChunkFindings> findings)
    {
        var job = snapshot.Job;
        var halted = job?.State != JobState.Halted ? StepState.NotApplicable
            : job.Cancel == CancelState.Requested ? StepState.Planned
            : StepState.Done;
        var declarations = snapshot.Incident.Declarations;
        // The broadest declaration in force explains the cause: everyone, then shifted rows, then a list.
        ScopeDeclarationKind? declaredAs = declarations.Count == 0 ? null : declarations.Min(d => d.Kind);
        return new IncidentFacts(
            snapshot.Incident.IncidentId,
            findings.SelectMany(f => f.Findings).Select(f => f.Rule).Distinct().ToArray(),
            declaredAs,
            halted,
            snapshot.Incident.ContactEmail);
    }

    /// <summary>
    /// Whether the apologies may say that the people who received the data were asked to delete it: only when every
    /// wrong recipient in scope has a delete request SendGrid accepted (so an apology sent in the same tick, after the
    /// delete-request waves, can say it); otherwise it is planned.
    /// </summary>
    public static StepState DeleteRequests(IncidentScope scope, IReadOnlyList<NoticeRecord> rows)
    {
        if (scope.Recipients.Count == 0)
        {
            return StepState.NotApplicable;
        }

        var sent = rows.Where(r => r.Kind == NoticeKind.DeleteRequest && r.State == NoticeState.Sent).Select(r => r.Email).ToHashSet(StringComparer.Ordinal);
        return scope.Recipients.All(r => sent.Contains(r.Address)) ? StepState.Done : StepState.Planned;
    }

    public NoticeTarget Target(NoticeRecord n, StepState deleteRequests)
    {
        var sentAt = n.FirstSentAt ?? throw new InvalidOperationException($"notice row {n.Kind} of {n.IncidentId} has no send time to state");
        if (n.Kind == NoticeKind.Apology)
        {
            return new ApologyTarget(n.Language, n.Name, n.Categories, n.RecipientCount, sentAt, deleteRequests);
        }

        var options = notices.Value;
        var expires = time.GetUtcNow() + options.ConfirmLinkValidity;
        var token = ConfirmationToken.Create(new(n.IncidentId, n.Key, expires), options.SigningKeyBytes());
        return new DeleteRequestTarget(n.Language, n.Name, n.MailSubject, sentAt, n.MailCount, token, expires);
    }
}
