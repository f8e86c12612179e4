using Microsoft.Azure.Functions.Worker;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;

namespace MisSend.Functions;

/// <summary>
/// Every minute: settle what the pipeline could not know at once (unknown chunks, wanted cancels), then notify
/// everyone whose data reached someone, exactly once.
/// </summary>
public sealed class DispatchNotices(PipelineSweep sweep, NoticeDispatcher dispatcher)
{
    [Function(nameof(DispatchNotices))]
    public async Task Run([TimerTrigger("%NoticeSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        await sweep.RunAsync(ct);
        await dispatcher.DispatchAsync(ct);
    }
}
