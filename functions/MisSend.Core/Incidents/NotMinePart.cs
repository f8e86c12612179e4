using System.Text.Json.Serialization;

namespace MisSend.Core.Incidents;

/// <summary>What a recipient says was not theirs in a mail they reported as "not for me" (optional, any of them).</summary>
public enum NotMinePart
{
    [JsonStringEnumMemberName("name")]
    Name,

    [JsonStringEnumMemberName("address")]
    Address,

    [JsonStringEnumMemberName("amount")]
    Amount,

    [JsonStringEnumMemberName("other")]
    Other,
}
