using System.Text.Json.Nodes;

namespace MisSend.Azure.Sending;

internal static class MailJson
{
    /// <summary>Adds send_at and batch_id so that SendGrid holds the mail and a halt can cancel it.</summary>
    public static string WithSchedule(string mailJson, long sendAt, string batchId)
    {
        var node = JsonNode.Parse(mailJson)!.AsObject();
        node["send_at"] = sendAt;
        node["batch_id"] = batchId;
        return node.ToJsonString();
    }
}
