using System.ComponentModel.DataAnnotations;
using MisSend.Core.Notices;

namespace MisSend.Application.Notices;

/// <summary>How the privacy officer is told about recipients' "not mine" reports. Section "Alerts".</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>
    /// The officer's address: reports are mailed here (masked facts and the console link only). Unset or empty: the
    /// console shows them and nobody is mailed. Checked at start-up to be one plain address.
    /// </summary>
    public string? OfficerEmail { get; set; }

    /// <summary>The operator console as the officer opens it, e.g. <c>https://&lt;app&gt;.azurewebsites.net/api/console</c>; alerts link to the incident under it.</summary>
    [HttpsUrl]
    public string? ConsoleUrl { get; set; }

    /// <summary>At most one alert mail per incident this often: reports in between are in the next one (a burst of reports is one mail, not hundreds).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);
}
