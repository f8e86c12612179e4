namespace MisSend.TestSupport;

/// <summary>App settings the test and benchmark worlds share.</summary>
public static class AppSettings
{
    /// <summary>The storage account and a queue, tables and containers of their own, so worlds on one Azurite never meet.</summary>
    public static Dictionary<string, string?> OwnStorage(string connectionString)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        return new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["OutboundQueueName"] = $"outbound-{suffix}",
            ["Pipeline:JobsTable"] = $"Jobs{suffix}",
            ["Pipeline:LedgerTable"] = $"Ledger{suffix}",
            ["Pipeline:IncidentsTable"] = $"Incidents{suffix}",
            ["Pipeline:NoticesTable"] = $"Notices{suffix}",
            ["Pipeline:QuarantineContainer"] = $"quarantine-{suffix}",
            ["Pipeline:ClaimCheckContainer"] = $"claim-check-{suffix}",
        };
    }

    /// <summary>A complete notice sender (every setting start-up validation requires), the season-ticket office's.</summary>
    public static Dictionary<string, string?> NoticeSender() => new()
    {
        ["NoticeSender:Organization"] = "浦和レッズ シーズンチケット事務局",
        ["NoticeSender:ContactEmail"] = "privacy@reds-seasonticket.example.jp",
        ["NoticeSender:ContactPhone"] = "048-555-0123",
        ["NoticeSender:ContactHoursJa"] = "平日 10:00〜17:00（土日祝日を除く）",
        ["NoticeSender:ContactHoursEn"] = "weekdays 10:00–17:00 JST",
        ["NoticeSender:ConfirmationPageUrl"] = "https://www.reds-seasonticket.example.jp/privacy/confirm",
        ["NoticeSender:NotMinePageUrl"] = "https://www.reds-seasonticket.example.jp/privacy/not-mine",
    };

    /// <summary>The first dictionary with the later ones' entries added or replacing its own.</summary>
    public static Dictionary<string, string?> Merge(Dictionary<string, string?> first, params IEnumerable<KeyValuePair<string, string?>>[] more)
    {
        foreach (var (key, value) in more.SelectMany(m => m))
        {
            first[key] = value;
        }

        return first;
    }
}
