using System.Text.Json.Nodes;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.TestSupport.InMemory;

namespace MisSend.Application.Tests;

/// <summary>Jobs the fault tests send, and what they look at afterwards.</summary>
internal static class Scenario
{
    public const string Contact = "privacy@reds-seasonticket.example.jp";

    /// <summary>A policy where only the member number says whose data a guide carries.</summary>
    public static JsonObject ByMemberNo(int holdMinutes = 0) => new()
    {
        ["subjectKeyField"] = "member_no",
        ["language"] = "ja",
        ["contactEmail"] = Contact,
        ["holdMinutes"] = holdMinutes,
    };

    /// <summary>
    /// The fan-in across chunks: chunk 1 gives recipient 0 member 40's guide (nothing in it says whose it is, so it
    /// passes); chunk 2 gives the same recipient member 50's. Chunk 2 must halt, and chunk 1's delivery is an exposure.
    /// </summary>
    public static (string Chunk1, string Chunk2) FanIn(string jobId, int holdMinutes = 0)
    {
        var chunk1 = Batches.Mail(Batches.People(0, 3), dataFor: p => p.Index == 0 ? Batches.Person(40) : p, identity: false);
        var chunk2 = Batches.Mail(new[] { Batches.Person(0) }.Concat(Batches.People(10, 2)), dataFor: p => p.Index == 0 ? Batches.Person(50) : p, identity: false);
        return (Batches.Envelope(jobId, 1, 2, chunk1, ByMemberNo(holdMinutes)), Batches.Envelope(jobId, 2, 2, chunk2, ByMemberNo(holdMinutes)));
    }

    public static string Clean(string jobId, int chunk, int chunkCount, int firstPerson, int count = 4, JsonObject? policy = null) =>
        Batches.Envelope(jobId, chunk, chunkCount, Batches.Mail(Batches.People(firstPerson, count)), policy);

    public static string Leaky(string jobId, int chunk, int chunkCount, int firstPerson, int count = 4, JsonObject? policy = null) =>
        Batches.Envelope(jobId, chunk, chunkCount, Batches.LeakByBcc(Batches.Mail(Batches.People(firstPerson, count))), policy);

    public static bool IsChunkOf(Step step, string jobId, int chunk) => step.Subject.StartsWith($"{jobId}#{chunk}:", StringComparison.Ordinal);

    /// <summary>The mail/send of the chunk whose first recipient is <paramref name="person"/>.</summary>
    public static Func<Step, bool> MailTo(int person) => s => s.Subject == "chunk:" + Batches.Person(person).Email;

    public static async Task<ChunkState?> StateAsync(InMemoryWorld world, string jobId, int chunk) =>
        (await world.Jobs.GetChunkAsync(jobId, chunk, default))?.State;

    public static string IncidentOf(string jobId) => Keys.IncidentFor(jobId);
}
