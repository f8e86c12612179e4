using System.Text.Json.Nodes;

namespace MisSend.Application.Pipeline;

/// <summary>What the pipeline adds to a sender's mail/send body. Recipients see none of it.</summary>
public static class OutgoingMail
{
    /// <summary>custom_args key that names one send attempt of a chunk, so Email Activity can say whether it was accepted.</summary>
    public const string AttemptArg = "missend_attempt";

    /// <summary>custom_args key that names one notice wave.</summary>
    public const string WaveArg = "notice_wave";

    /// <summary>
    /// The body with our attempt id in custom_args (merged with the sender's own), and for a hold window send_at and
    /// the job's batch_id, so that SendGrid holds the mail and a halt can cancel it.
    /// </summary>
    public static string Prepare(string mailJson, string attemptId, DateTimeOffset? sendAt, string? batchId)
    {
        var node = JsonNode.Parse(mailJson)!.AsObject();
        if (node["custom_args"] is not JsonObject args)
        {
            args = [];
            node["custom_args"] = args;
        }

        args[AttemptArg] = attemptId;
        if (sendAt is { } at && batchId is not null)
        {
            node["send_at"] = at.ToUnixTimeSeconds();
            node["batch_id"] = batchId;
        }

        return node.ToJsonString();
    }
}
