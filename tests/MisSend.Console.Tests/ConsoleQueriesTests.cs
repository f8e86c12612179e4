using Microsoft.Extensions.DependencyInjection;
using MisSend.Application.Console;
using MisSend.Application.Incidents;
using MisSend.Application.Ports;
using MisSend.TestSupport.InMemory;

namespace MisSend.Console.Tests;

/// <summary>What the console counts, over the application's in-memory ports: notices are counted from their rows, and people the exposures name without a row yet are "to do".</summary>
public sealed class ConsoleQueriesTests
{
    /// <summary>The incident page reads no list.</summary>
    private sealed class NoLists : IRecordIndex
    {
        public Task<IReadOnlyList<string>> RecentIncidentsAsync(int max, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<string>> RecentJobsAsync(int max, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<(string JobId, int Chunk)>> QuarantinedChunksAsync(CancellationToken ct) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Notices_are_to_do_until_the_tick_writes_their_rows_and_sent_once_SendGrid_accepted_them()
    {
        using var world = InMemoryWorld.Create();
        for (var i = 1; i <= 3; i++)
        {
            await world.HandleAsync(await File.ReadAllTextAsync(Repository.Sample($"multi-chunk/chunk-{i}.json")), $"msg-{i}");
        }

        var incidentId = (await world.Jobs.GetJobAsync("reds-2027-renewal", default))!.IncidentId!;
        var queries = new ConsoleQueries(new NoLists(), world.Incidents, world.Notices, world.Jobs, world.Services.GetRequiredService<IncidentReader>(), world.Services.GetRequiredService<MisSend.Application.Notices.NoticeContent>());

        var before = (await queries.IncidentAsync(incidentId, default))!.Summary;
        await world.TickAsync();
        var after = (await queries.IncidentAsync(incidentId, default))!;

        Assert.Equal((1, 1, 2), (before.DataSubjects, before.WrongRecipients, before.ChunksQuarantined));
        Assert.Equal(new NoticeTally(ToDo: 1, Sending: 0, Sent: 0, Pending: 0, Unknown: 0, Failed: 0), before.Notices.Apologies);
        Assert.Equal(new NoticeTally(ToDo: 1, Sending: 0, Sent: 0, Pending: 0, Unknown: 0, Failed: 0), before.Notices.DeleteRequests);
        Assert.Equal(new NoticeTally(ToDo: 0, Sending: 0, Sent: 1, Pending: 0, Unknown: 0, Failed: 0), after.Summary.Notices.Apologies);
        Assert.Equal(new NoticeTally(ToDo: 0, Sending: 0, Sent: 1, Pending: 0, Unknown: 0, Failed: 0), after.Summary.Notices.DeleteRequests);
        Assert.Equal((0, 2), (after.Summary.Notices.ConfirmedDeletedUnread, after.Summary.Notices.Waves));
        Assert.Equal([2], after.Findings.Select(f => f.Chunk));
        Assert.Null(await queries.IncidentAsync("INC-000000000000", default));
    }
}
