using System.Text.Json.Nodes;

namespace MisSend.Application.Pipeline;

/// <summary>What the pipeline adds to a sender's mail/send body. Recipients see none of it but the "not mine" link, and that only where the template shows it.</summary>
public static class OutgoingMail
{
    /// <summary>custom_args key that names one send attempt of a chunk, so Email Activity can say whether it was accepted.</summary>
    public const string AttemptArg = "missend_attempt";

    /// <summary>custom_args key that names one notice wave.</summary>
    public const string WaveArg = "notice_wave";

    /// <summary>The dynamic_template_data key of a personalization's "this mail is not for me" link: <c>{{not_mine_url}}</c> in a template.</summary>
    public const string NotMineKey = "not_mine_url";

    /// <summary>The same link as a legacy substitution tag, for personalizations that use substitutions.</summary>
    public const string NotMineTag = "-not_mine_url-";

    /// <summary>
    /// The body with our attempt id in custom_args (merged with the sender's own), for a hold window send_at and the
    /// job's batch_id, so that SendGrid holds the mail and a halt can cancel it, and each personalization's "not mine"
    /// link (<paramref name="notMineUrl"/>: none when null). The link goes where the personalization's own merge data is:
    /// its substitutions when it has them (SendGrid refuses substitutions beside a dynamic template, so none are added
    /// where there were none), dynamic_template_data otherwise. Adding a value changes nothing unless the template uses it.
    /// </summary>
    public static string Prepare(string mailJson, string attemptId, DateTimeOffset? sendAt, string? batchId, Func<int, string>? notMineUrl = null)
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

        if (notMineUrl is not null && node["personalizations"] is JsonArray personalizations)
        {
            for (var i = 0; i < personalizations.Count; i++)
            {
                AddNotMineLink(personalizations[i]!.AsObject(), notMineUrl(i));
            }
        }

        return node.ToJsonString();
    }

    private static void AddNotMineLink(JsonObject personalization, string url)
    {
        var substitutions = personalization["substitutions"] as JsonObject;
        if (substitutions is not null)
        {
            substitutions[NotMineTag] = url;
        }

        if (substitutions is null || personalization["dynamic_template_data"] is JsonObject)
        {
            var data = personalization["dynamic_template_data"] as JsonObject ?? [];
            data[NotMineKey] = url;
            personalization["dynamic_template_data"] = data;
        }
    }
}
