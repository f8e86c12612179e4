using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using MisSend.Application.Inputs;

namespace MisSend.Cli.Tests;

/// <summary><c>detector enqueue</c>: the product's queue client, envelopes for a job, chunks of a big body, claim-check beyond a queue message.</summary>
public sealed class EnqueueCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("missend-enqueue-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Files_become_the_chunks_of_one_job_in_the_order_given_and_a_big_body_is_split_by_personalizations()
    {
        var big = Path.Combine(_dir, "guide.json");
        File.WriteAllText(big, Batches.Mail(Batches.People(0, 25)).ToJsonString());

        var (asJob, problems) = EnqueueCommand.Plan([Repository.Sample("payment-guide.json"), Repository.Sample("rows-shifted.json")], "reds-2027-guide", null, 30 << 20);
        var (split, _) = EnqueueCommand.Plan([big], "reds-2027-split", 10, 30 << 20);

        Assert.Empty(problems);
        Assert.Equal([("reds-2027-guide", 1, 2), ("reds-2027-guide", 2, 2)], asJob.Select(Envelope));
        Assert.Equal([("reds-2027-split", 1, 3), ("reds-2027-split", 2, 3), ("reds-2027-split", 3, 3)], split.Select(Envelope));
        Assert.Equal([10, 10, 5], split.Select(c => c.Message["mail"]!["personalizations"]!.AsArray().Count));
        // Everything but the personalizations is shared, as SendGrid sends it.
        Assert.All(split, c => Assert.Equal("d-5f2c0c2e8b6a4a1e9d1c0a7b3e2f4a10", c.Message["mail"]!["template_id"]!.GetValue<string>()));
        // The policy an envelope carries travels with each of its chunks.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Repository.Sample("rows-shifted.json")))!["policy"], asJob[1].Message["policy"]));
    }

    [Fact]
    public void A_job_id_the_pipeline_would_reject_is_refused_before_anything_is_queued()
    {
        var (chunks, problems) = EnqueueCommand.Plan([Repository.Sample("payment-guide.json")], "reds/2027", null, 30 << 20);

        Assert.Empty(chunks);
        Assert.StartsWith("--job: ", Assert.Single(problems));
    }

    [Fact]
    public async Task A_body_too_big_for_a_queue_message_goes_by_claim_check_through_the_products_queue_client()
    {
        var big = Path.Combine(_dir, "big.json");
        File.WriteAllText(big, Batches.Mail(Batches.People(0, 400)).ToJsonString());
        Assert.True(new FileInfo(big).Length > 64 * 1024);
        var (output, errors) = (new StringWriter(), new StringWriter());

        var exit = await EnqueueCommand.RunAsync([big, Repository.Sample("payment-guide.json")], "reds-2027-claim", null, azurite.ConnectionString, output, errors, default);

        Assert.Equal(0, exit);
        Assert.Contains("big.json as job reds-2027-claim chunk 1/2, by claim-check blob", output.ToString());
        Assert.Contains("payment-guide.json as job reds-2027-claim chunk 2/2\n", output.ToString().ReplaceLineEndings("\n"));
        var queue = new QueueClient(azurite.ConnectionString, "outbound-batches", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        PeekedMessage[] messages = (await queue.PeekMessagesAsync(32)).Value;
        var pointer = ClaimCheckPointer.Read(messages[0].Body.ToString(), "claim-check");
        Assert.NotNull(pointer.BlobName);
        var blob = new global::Azure.Storage.Blobs.BlobContainerClient(azurite.ConnectionString, "claim-check").GetBlobClient(pointer.BlobName);
        var stored = JsonNode.Parse((await blob.DownloadContentAsync()).Value.Content.ToString())!;
        Assert.Equal(("reds-2027-claim", 1, 400), (stored["jobId"]!.GetValue<string>(), stored["chunk"]!.GetValue<int>(), stored["mail"]!["personalizations"]!.AsArray().Count));
        Assert.Equal(2, messages.Length);
    }

    private static (string?, int?, int?) Envelope(EnqueueCommand.Chunk c) =>
        (c.Message["jobId"]?.GetValue<string>(), c.Message["chunk"]?.GetValue<int>(), c.Message["chunkCount"]?.GetValue<int>());
}
