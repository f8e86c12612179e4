using System.Text.Json.Serialization;
using MisSend.Core;
using MisSend.Core.Detection;

namespace MisSend.Core.Incidents;

/// <summary>A person whose data a mail carried. <paramref name="Key"/> is the ledger's subject key.</summary>
public sealed record DataSubject(string Key, string? Email, string? Name);

/// <summary>
/// One recorded delivery of a job, as the exposure ledger holds it: <paramref name="Recipient"/> received the mail of
/// personalization <paramref name="Personalization"/> of chunk <paramref name="Chunk"/>, which carried
/// <paramref name="Subject"/>'s data of <paramref name="Categories"/>. A personalization with several recipients or
/// several people's data has one delivery per (recipient, subject).
/// </summary>
public sealed record JobDelivery(int Chunk, int Personalization, string Recipient, DataSubject Subject, IReadOnlyList<DataCategory> Categories, DateTimeOffset SentAt);

public enum ScopeDeclarationKind
{
    /// <summary>Every recipient of the job received every personalization's data (the seed incident).</summary>
    [JsonStringEnumMemberName("everyone")]
    Everyone,

    /// <summary>The recipient of row i received row i+k's data (FC Tokyo 2024: k = 1).</summary>
    [JsonStringEnumMemberName("shifted")]
    Shifted,

    /// <summary>A list (CSV) of who received whose data.</summary>
    [JsonStringEnumMemberName("list")]
    List,
}

/// <summary>One line of a declared list: <paramref name="Recipient"/> received <paramref name="Subject"/>'s data.</summary>
/// <param name="Line">Line of the CSV it came from, for error messages.</param>
/// <param name="Recipient">Normalized e-mail address of the person who received the data.</param>
/// <param name="Subject">The data subject: a normalized e-mail address (when it holds '@') or a ledger subject key.</param>
/// <param name="Categories">The data items that went out; null means those the ledger recorded for the subject.</param>
public sealed record DeclaredPair(int Line, string Recipient, string Subject, IReadOnlyList<DataCategory>? Categories = null);

/// <summary>An operator's statement of who received whose data. Store it as it is; the scope is recomputed from it and the ledger.</summary>
/// <param name="Categories">
/// Shifted declarations: the data items that were shifted (e.g. only the amounts, when names and addresses matched);
/// null means every item the ledger recorded for the row.
/// </param>
public sealed record ScopeDeclaration(
    ScopeDeclarationKind Kind,
    Actor By,
    DateTimeOffset At,
    int? Shift = null,
    IReadOnlyList<DeclaredPair>? Pairs = null,
    IReadOnlyList<DataCategory>? Categories = null)
{
    public static ScopeDeclaration Everyone(Actor by, DateTimeOffset at) => new(ScopeDeclarationKind.Everyone, by, at);

    public static ScopeDeclaration Shifted(int k, Actor by, DateTimeOffset at, IReadOnlyList<DataCategory>? categories = null) =>
        new(ScopeDeclarationKind.Shifted, by, at, Shift: k, Categories: categories);

    public static ScopeDeclaration List(IReadOnlyList<DeclaredPair> pairs, Actor by, DateTimeOffset at) => new(ScopeDeclarationKind.List, by, at, Pairs: pairs);

    /// <summary>What a report may say about it: no addresses.</summary>
    public ScopeDeclarationSummary Summary() => new(Kind, By, At, Shift, Pairs?.Count, Categories);
}

public sealed record ScopeDeclarationSummary(ScopeDeclarationKind Kind, Actor By, DateTimeOffset At, int? Shift, int? ListLines, IReadOnlyList<DataCategory>? Categories = null);

/// <summary>A data subject whose data reached other people, with what the apology tells them.</summary>
/// <param name="FirstSentAt">When the first mail carrying their data to someone else went out.</param>
public sealed record AffectedSubject(DataSubject Subject, IReadOnlyList<DataCategory> Categories, int RecipientCount, DateTimeOffset FirstSentAt);

/// <summary>A person who received other people's data, with what the delete request tells them.</summary>
/// <param name="SubjectCount">How many other people's data they received (one mail each in a bulk send).</param>
public sealed record AffectedRecipient(string Address, int SubjectCount, IReadOnlyList<DataCategory> Categories, DateTimeOffset FirstSentAt);

/// <summary>The scope the declarations in force give, computed from the job's deliveries.</summary>
/// <param name="Exposures">(recipient, data subject) pairs.</param>
/// <param name="RowsWithoutCounterpart">Shifted declarations: rows at the ends whose shifted row lies outside the job (no wrap-around).</param>
public sealed record DeclaredScope(
    IReadOnlyList<ScopeDeclaration> Declarations,
    IReadOnlyList<AffectedSubject> Subjects,
    IReadOnlyList<AffectedRecipient> Recipients,
    long Exposures,
    int RowsWithoutCounterpart)
{
    public IReadOnlyList<DataCategory> Categories => Subjects.SelectMany(s => s.Categories).Distinct().Order().ToArray();

    public int SubjectsWithoutAddress => Subjects.Count(s => s.Subject.Email is null);
}

public enum ScopeErrorCode
{
    [JsonStringEnumMemberName("empty")]
    Empty,

    [JsonStringEnumMemberName("encoding")]
    Encoding,

    [JsonStringEnumMemberName("missing-column")]
    MissingColumn,

    [JsonStringEnumMemberName("unknown-column")]
    UnknownColumn,

    [JsonStringEnumMemberName("duplicate-column")]
    DuplicateColumn,

    [JsonStringEnumMemberName("column-count")]
    ColumnCount,

    [JsonStringEnumMemberName("unterminated-quote")]
    UnterminatedQuote,

    [JsonStringEnumMemberName("empty-value")]
    EmptyValue,

    [JsonStringEnumMemberName("malformed-email")]
    MalformedEmail,

    [JsonStringEnumMemberName("unknown-category")]
    UnknownCategory,

    [JsonStringEnumMemberName("no-rows")]
    NoRows,

    [JsonStringEnumMemberName("unknown-recipient")]
    UnknownRecipient,

    [JsonStringEnumMemberName("unknown-subject")]
    UnknownSubject,

    [JsonStringEnumMemberName("own-data")]
    OwnData,

    [JsonStringEnumMemberName("no-deliveries")]
    NoDeliveries,

    [JsonStringEnumMemberName("bad-shift")]
    BadShift,
}

/// <summary>Why a declaration was rejected. <paramref name="Value"/> is masked (<c>t***@example.jp</c>): errors may be logged.</summary>
public sealed record ScopeError(int? Line, ScopeErrorCode Code, string? Value = null)
{
    public string Message(string language)
    {
        var ja = language == "ja";
        var where = Line is { } line ? ja ? $"{line}行目: " : $"line {line}: " : "";
        var what = (Code, ja) switch
        {
            (ScopeErrorCode.Empty, true) => "ファイルが空です",
            (ScopeErrorCode.Empty, false) => "the file is empty",
            (ScopeErrorCode.Encoding, true) => "文字コードが UTF-8 でも Shift_JIS でもありません",
            (ScopeErrorCode.Encoding, false) => "the file is neither UTF-8 nor Shift_JIS",
            (ScopeErrorCode.MissingColumn, true) => $"見出し行に「{Value}」の列がありません",
            (ScopeErrorCode.MissingColumn, false) => $"the header has no '{Value}' column",
            (ScopeErrorCode.UnknownColumn, true) => $"見出し「{Value}」は使えません（使える列: recipient, subject, categories）",
            (ScopeErrorCode.UnknownColumn, false) => $"unknown column '{Value}' (columns: recipient, subject, categories)",
            (ScopeErrorCode.DuplicateColumn, true) => $"見出し「{Value}」が重複しています",
            (ScopeErrorCode.DuplicateColumn, false) => $"column '{Value}' appears twice",
            (ScopeErrorCode.ColumnCount, true) => $"列の数が見出しと違います（{Value}）",
            (ScopeErrorCode.ColumnCount, false) => $"wrong number of columns ({Value})",
            (ScopeErrorCode.UnterminatedQuote, true) => "引用符（\"）が閉じていません",
            (ScopeErrorCode.UnterminatedQuote, false) => "a quoted value is not closed",
            (ScopeErrorCode.EmptyValue, true) => $"「{Value}」が空です",
            (ScopeErrorCode.EmptyValue, false) => $"'{Value}' is empty",
            (ScopeErrorCode.MalformedEmail, true) => $"{Value} はメールアドレスの形式ではありません",
            (ScopeErrorCode.MalformedEmail, false) => $"{Value} is not an e-mail address",
            (ScopeErrorCode.UnknownCategory, true) => $"「{Value}」は個人データの項目として分かりません",
            (ScopeErrorCode.UnknownCategory, false) => $"'{Value}' is not a known data category",
            (ScopeErrorCode.NoRows, true) => "見出し行のほかにデータがありません",
            (ScopeErrorCode.NoRows, false) => "there are no lines after the header",
            (ScopeErrorCode.UnknownRecipient, true) => $"{Value} はこの送信ジョブの受信者として記録されていません",
            (ScopeErrorCode.UnknownRecipient, false) => $"{Value} is not a recorded recipient of this job",
            (ScopeErrorCode.UnknownSubject, true) => $"{Value} はこの送信ジョブのデータの本人として記録されていません",
            (ScopeErrorCode.UnknownSubject, false) => $"{Value} is not a recorded data subject of this job",
            (ScopeErrorCode.OwnData, true) => $"{Value} はこの本人宛てのメールの正規の受信者です（漏えいではありません）",
            (ScopeErrorCode.OwnData, false) => $"{Value} is an intended recipient of this person's own mail (not a leak)",
            (ScopeErrorCode.NoDeliveries, true) => "この送信ジョブの送信記録がありません",
            (ScopeErrorCode.NoDeliveries, false) => "no deliveries are recorded for this job",
            (ScopeErrorCode.BadShift, true) => $"ずれの行数 {Value} は使えません（0 以外で、ジョブの行数未満）",
            (ScopeErrorCode.BadShift, false) => $"a shift of {Value} rows is not possible (non-zero and less than the job's rows)",
            _ => StoredName.Of(Code),
        };
        return where + what;
    }
}

/// <summary>A computed scope, or why the declaration cannot be applied.</summary>
public sealed record ScopeResult(DeclaredScope? Scope, IReadOnlyList<ScopeError> Errors)
{
    public static ScopeResult Failed(IReadOnlyList<ScopeError> errors) => new(null, errors);
}
