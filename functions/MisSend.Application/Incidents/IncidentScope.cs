using MisSend.Application.Model;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Reports;

namespace MisSend.Application.Incidents;

/// <summary>The first mail a wrong recipient got that was not theirs, and their own name when the records know it.</summary>
/// <param name="Name">The recipient's name, from a mail the detector confirmed as theirs; null otherwise (never a guess).</param>
public sealed record RecipientMail(int Chunk, string? SafeSubject, string? Name);

/// <summary>
/// What reached whom, as an incident's records establish it: the ledger's reached exposures (the detector's incidents),
/// or the operators' declarations computed over the deliveries of the job that went out (reported incidents).
/// </summary>
/// <param name="Mails">Per wrong recipient (by address): the mail a delete request names.</param>
public sealed record IncidentScope(
    ScopeBasis Basis,
    IReadOnlyList<AffectedSubject> Subjects,
    IReadOnlyList<AffectedRecipient> Recipients,
    long Exposures,
    IReadOnlyList<ScopeDeclaration> Declarations,
    IReadOnlyDictionary<string, RecipientMail> Mails)
{
    public IReadOnlyList<DataCategory> Categories => Subjects.SelectMany(s => s.Categories).Distinct().Order().ToArray();

    public bool IsEmpty => Subjects.Count == 0 && Recipients.Count == 0;
}

/// <summary>Builds <see cref="IncidentScope"/> from records. Pure.</summary>
public static class IncidentScopes
{
    /// <summary>The scope of a detector incident: the exposures that reached someone.</summary>
    /// <param name="unknownSentAt">Stands for a send time the records lack (rows from before chunks were recorded).</param>
    public static IncidentScope FromExposures(IReadOnlyList<Exposure> reached, IReadOnlyList<LedgerDelivery> deliveries, IReadOnlyList<ChunkRecord> chunks, DateTimeOffset unknownSentAt)
    {
        DateTimeOffset SentAt(Exposure e) => e.SentAt ?? unknownSentAt;
        var subjects = reached.GroupBy(e => e.SubjectKey)
            .Select(g => new AffectedSubject(
                new DataSubject(g.Key, g.Select(e => e.SubjectEmail).FirstOrDefault(a => a is not null), g.Select(e => e.SubjectName).FirstOrDefault(n => n is not null)),
                g.SelectMany(e => e.Categories).Distinct().Order().ToArray(),
                g.Select(e => e.Recipient).Distinct().Count(),
                g.Min(SentAt)))
            .ToList();
        var recipients = reached.GroupBy(e => e.Recipient)
            .Select(g => new AffectedRecipient(g.Key, g.Select(e => (e.SubjectKey, e.Chunk)).Distinct().Count(), g.SelectMany(e => e.Categories).Distinct().Order().ToArray(), g.Min(SentAt)))
            .ToList();
        var firstChunk = reached.GroupBy(e => e.Recipient).ToDictionary(g => g.Key, g => g.Min(e => e.Chunk));
        return new IncidentScope(ScopeBasis.Ledger, subjects, recipients, reached.Count, [], Mails(firstChunk, deliveries, chunks));
    }

    /// <summary>The scope the declarations in force give over the job's sent deliveries, or why they cannot be applied.</summary>
    public static (IncidentScope? Scope, IReadOnlyList<ScopeError> Errors) Declared(
        IReadOnlyList<ScopeDeclaration> declarations, IReadOnlyList<LedgerDelivery> deliveries, IReadOnlyList<ChunkRecord> chunks, JobRecord? job)
    {
        var sent = SentDeliveries(deliveries, chunks, job);
        var result = ScopeCalculator.Compute(sent, declarations);
        return result.Scope is { } scope ? (FromDeclared(scope, sent, deliveries, chunks), []) : (null, result.Errors);
    }

    public static IncidentScope FromDeclared(DeclaredScope scope, IReadOnlyList<JobDelivery> sent, IReadOnlyList<LedgerDelivery> deliveries, IReadOnlyList<ChunkRecord> chunks)
    {
        var firstChunk = sent.GroupBy(d => d.Recipient).ToDictionary(g => g.Key, g => g.Min(d => d.Chunk));
        var named = scope.Recipients.Where(r => firstChunk.ContainsKey(r.Address)).ToDictionary(r => r.Address, r => firstChunk[r.Address]);
        return new IncidentScope(ScopeBasis.Declared, scope.Subjects, scope.Recipients, scope.Exposures, scope.Declarations, Mails(named, deliveries, chunks));
    }

    /// <summary>
    /// The deliveries of the job's chunks that went out (SendGrid accepted them), as the declared-scope calculation
    /// reads them. A chunk without a row is ledger data from before chunks were recorded: it went out with the job.
    /// </summary>
    public static IReadOnlyList<JobDelivery> SentDeliveries(IReadOnlyList<LedgerDelivery> deliveries, IReadOnlyList<ChunkRecord> chunks, JobRecord? job)
    {
        var byNumber = chunks.ToDictionary(c => c.Chunk);
        var sent = new List<JobDelivery>();
        foreach (var d in deliveries)
        {
            var at = byNumber.TryGetValue(d.Chunk, out var chunk)
                ? chunk.State == ChunkState.Sent ? chunk.SentAt : null
                : job?.FirstSentAt;
            if (at is { } sentAt)
            {
                sent.Add(new JobDelivery(d.Chunk, d.Personalization, d.Recipient, new DataSubject(d.SubjectKey, d.SubjectEmail, d.SubjectName), d.Categories, sentAt));
            }
        }

        return sent;
    }

    private static Dictionary<string, RecipientMail> Mails(IReadOnlyDictionary<string, int> firstChunk, IReadOnlyList<LedgerDelivery> deliveries, IReadOnlyList<ChunkRecord> chunks)
    {
        var subjects = chunks.ToDictionary(c => c.Chunk, c => c.SafeSubject);

        // A name is used only from a mail the detector confirmed as the recipient's own: the leak may be exactly that
        // the ledger took someone for the owner of another person's data.
        var names = deliveries.Where(d => d.OwnerConfirmed && !d.Misdirected && d.Relationship is null && d.SubjectName is not null)
            .GroupBy(d => d.Recipient)
            .ToDictionary(g => g.Key, g => g.Select(d => d.SubjectName).Distinct().Count() == 1 ? g.First().SubjectName : null);
        return firstChunk.ToDictionary(p => p.Key, p => new RecipientMail(p.Value, subjects.GetValueOrDefault(p.Value), names.GetValueOrDefault(p.Key)));
    }
}
