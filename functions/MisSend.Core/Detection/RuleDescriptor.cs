namespace MisSend.Core.Detection;

/// <summary>
/// A detection rule as people read it, like a Roslyn <c>DiagnosticDescriptor</c>: the id is stable (stored in findings,
/// JSON and reports); the titles and the cause in plain words are what the report, the console and the CLI show.
/// </summary>
/// <param name="Id">Stable kebab-case id, e.g. <c>wrong-owner</c>. Never renamed: past findings keep it.</param>
/// <param name="TitleEn">A few words: "Another customer's data in the mail".</param>
/// <param name="TitleJa">同じ意味の日本語の見出し。</param>
/// <param name="CauseEn">One sentence a customer understands: what went wrong in the send.</param>
/// <param name="CauseJa">同じ内容を、お客様に分かる言葉で一文で。</param>
public sealed record RuleDescriptor(string Id, string TitleEn, string TitleJa, string CauseEn, string CauseJa)
{
    public string Title(string language) => language == "ja" ? TitleJa : TitleEn;

    public string Cause(string language) => language == "ja" ? CauseJa : CauseEn;
}

/// <summary>Every rule's descriptor, by id. Reports and the console render rule ids only through this.</summary>
public static class RuleCatalog
{
    public static readonly IReadOnlyList<RuleDescriptor> All =
    [
        new(Rules.VisibleRecipients, "Recipients see each other's addresses", "宛先の相互表示",
            "Several customers were put in the visible To/Cc of one mail, so each of them sees the others' e-mail addresses.",
            "複数のお客様のメールアドレスが同じメールの宛先（To/Cc）に入り、互いのアドレスが見える状態でした。"),
        new(Rules.SharedPersonalData, "One person's data to many people", "一人分の個人データの複数人への送付",
            "A mail holding one customer's personal data was addressed to other people as well.",
            "お一人分の個人データを含むメールが、ご本人以外の方にも宛てられていました。"),
        new(Rules.WrongOwner, "Another person's data in the mail", "他の方の個人データの差し込み",
            "The personal data merged into a mail belonged to someone other than its recipient (for example, rows shifted in the address list).",
            "メールに差し込まれた個人データが、受信者ご本人ではなく別の方のものでした（宛先リストの行ずれなど）。"),
        new(Rules.FanIn, "One recipient gets several people's data", "一人の受信者への複数人分のデータ",
            "One recipient would have received the personal data of several different people.",
            "一人の受信者に、複数の別の方の個人データが届く状態でした。"),
        new(Rules.FanInAcrossChunks, "One recipient gets several people's data across the job", "送信ジョブ全体での複数人分のデータ",
            "Across the parts of one send, one recipient received the personal data of several different people.",
            "分割送信の複数の回にわたり、一人の受信者に別々の方の個人データが届く状態でした。"),
        new(Rules.ForeignDataInContent, "A list of people in the body or an attachment", "本文・添付への名簿の混入",
            "The body or an attachment, which every recipient receives, contained other people's personal data (for example, a pasted list).",
            "全員に届く本文または添付ファイルに、他の方の個人データ（貼り付けられた名簿など）が含まれていました。"),
    ];

    private static readonly Dictionary<string, RuleDescriptor> ById = All.ToDictionary(d => d.Id, StringComparer.Ordinal);

    /// <summary>The descriptor of <paramref name="id"/>; an id from an older version that is no longer known still reads as words.</summary>
    public static RuleDescriptor Get(string id) => ById.TryGetValue(id, out var d)
        ? d
        : new RuleDescriptor(id, "Personal data would reach the wrong people", "個人データが本人以外に届くおそれ",
            "Personal data would have reached people it does not belong to.", "個人データが本人以外の方に届くおそれがありました。");
}
