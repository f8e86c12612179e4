using MisSend.Application.Model;
using MisSend.Core.Notices;

namespace MisSend.Application.Ports;

/// <summary>One notice row per person per kind per incident, and one row per wave (SendGrid request).</summary>
public interface INoticeStore
{
    Task<IReadOnlyList<NoticeRecord>> ListAsync(string incidentId, CancellationToken ct);

    /// <summary>The notice whose <see cref="NoticeRecord.Key"/> is <paramref name="recipientKey"/> (the keyed <see cref="RecipientKey"/>).</summary>
    Task<NoticeRecord?> GetAsync(string incidentId, NoticeKind kind, string recipientKey, CancellationToken ct);

    /// <summary>Inserts rows that do not exist yet. Returns the rows this caller inserted (with versions); the others belong to whoever wrote them.</summary>
    Task<IReadOnlyList<NoticeRecord>> InsertNewAsync(IReadOnlyList<NoticeRecord> rows, CancellationToken ct);

    Task<NoticeRecord?> TryReplaceAsync(NoticeRecord row, CancellationToken ct);

    /// <summary>Replaces each row conditionally on its version. Returns the rows whose change landed.</summary>
    Task<IReadOnlyList<NoticeRecord>> ReplaceAllAsync(IReadOnlyList<NoticeRecord> rows, CancellationToken ct);

    Task<IReadOnlyList<WaveRecord>> ListWavesAsync(string incidentId, CancellationToken ct);

    Task<WaveRecord?> TryAddWaveAsync(WaveRecord wave, CancellationToken ct);

    Task<WaveRecord?> TryReplaceWaveAsync(WaveRecord wave, CancellationToken ct);
}
