using Microsoft.Azure.Functions.Worker;
using MisSend.Azure.Notices;

namespace MisSend.Functions;

/// <summary>Every minute: apology and delete-request notices for every incident whose data reached someone, exactly once.</summary>
public sealed class DispatchNotices(NoticeDispatcher dispatcher)
{
    [Function(nameof(DispatchNotices))]
    public Task Run([TimerTrigger("%NoticeSchedule%")] TimerInfo timer, CancellationToken ct) => dispatcher.DispatchAsync(ct);
}
