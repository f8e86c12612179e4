using MisSend.Application.Model;
using MisSend.Core.Detection;

namespace MisSend.Application.Incidents;

/// <summary>Personal data of <see cref="SubjectKey"/> that reached (or may reach) <see cref="Recipient"/> in chunk <see cref="Chunk"/>.</summary>
public sealed record Exposure(
    int Chunk,
    string Recipient,
    string SubjectKey,
    string? SubjectEmail,
    IReadOnlyList<DataCategory> Categories,
    DateTimeOffset? SentAt,
    string? SubjectName = null);

/// <param name="Reached">Exposures whose chunk SendGrid accepted and that nothing can recall any more.</param>
/// <param name="Pending">Exposures whose chunk is in flight, unknown, or held with a cancel still wanted: not yet known either way.</param>
/// <param name="InFlight">Chunks of the job that may still reach someone, or may have.</param>
public sealed record Attribution(IReadOnlyList<Exposure> Reached, IReadOnlyList<Exposure> Pending, IReadOnlyList<ChunkRecord> InFlight, bool CancelPending)
{
    /// <summary>Nothing about the job can change any more by itself: only then may an incident be closed.</summary>
    public bool Settled => Pending.Count == 0 && InFlight.Count == 0 && !CancelPending;
}

/// <summary>Which exposure candidates reached someone, decided by their chunk's state when the incident is read.</summary>
public static class ExposureAttribution
{
    public static Attribution Attribute(JobRecord? job, IReadOnlyList<ChunkRecord> chunks, IReadOnlyList<ExposureCandidate> candidates, DateTimeOffset now)
    {
        var byNumber = chunks.ToDictionary(c => c.Chunk);
        var cancelPending = job?.Cancel == CancelState.Requested;
        var reached = new List<Exposure>();
        var pending = new List<Exposure>();
        foreach (var c in candidates.DistinctBy(c => (c.Chunk, c.Recipient, c.SubjectKey)))
        {
            // A chunk without a row is ledger data from before chunks were recorded before their send: it was sent.
            var chunk = byNumber.GetValueOrDefault(c.Chunk);
            var exposure = new Exposure(c.Chunk, c.Recipient, c.SubjectKey, c.SubjectEmail, c.Categories, chunk?.SentAt ?? job?.FirstSentAt, c.SubjectName);
            switch (chunk?.State)
            {
                case null:
                case ChunkState.Sent when !(cancelPending && chunk.SendAt > now):
                    reached.Add(exposure);
                    break;
                case ChunkState.Sent:
                case var s when s.Value.InFlight():
                    pending.Add(exposure);
                    break;
            }
        }

        return new Attribution(reached, pending, chunks.Where(c => c.State.InFlight()).ToList(), cancelPending);
    }
}
