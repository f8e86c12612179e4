using System.Text;
using MisSend.Core.Detection;
using MisSend.Core.Text;

namespace MisSend.Core.Incidents;

/// <summary>
/// Reads the operator's list of who received whose data: a CSV with a header line naming the columns
/// <c>recipient</c> (受信者), <c>subject</c> (本人: e-mail address or subject key) and optionally <c>categories</c>
/// (項目: ids or Japanese names, separated by ';' or '、'). UTF-8 with or without BOM, UTF-16 with BOM, or Shift_JIS
/// (Excel's Japanese default). Every problem is reported with its line number; nothing is half-accepted.
/// </summary>
public static class RecipientSubjectCsv
{
    private const string Recipient = "recipient";
    private const string Subject = "subject";
    private const string CategoriesColumn = "categories";
    private const int MaxErrors = 50;

    private static readonly Dictionary<string, string> ColumnNames = new(StringComparer.OrdinalIgnoreCase)
    {
        [Recipient] = Recipient, ["受信者"] = Recipient,
        [Subject] = Subject, ["本人"] = Subject,
        [CategoriesColumn] = CategoriesColumn, ["項目"] = CategoriesColumn,
    };

    static RecipientSubjectCsv() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public sealed record Result(IReadOnlyList<DeclaredPair> Pairs, IReadOnlyList<ScopeError> Errors);

    public static Result Parse(byte[] content)
    {
        if (Decode(content) is not { } text)
        {
            return Failed(new ScopeError(null, ScopeErrorCode.Encoding));
        }

        var records = Records(text, out var unterminatedAt).Where(r => !(r.Fields.Count == 1 && r.Fields[0].Trim().Length == 0)).ToList();
        if (records.Count == 0)
        {
            return Failed(new ScopeError(null, ScopeErrorCode.Empty));
        }

        var errors = new List<ScopeError>();
        if (unterminatedAt is { } line)
        {
            errors.Add(new ScopeError(line, ScopeErrorCode.UnterminatedQuote));
        }

        var header = records[0];
        var columns = Columns(header, errors);
        if (errors.Count > 0)
        {
            return Failed([.. errors]);
        }

        if (records.Count == 1)
        {
            return Failed(new ScopeError(header.Line + 1, ScopeErrorCode.NoRows));
        }

        var pairs = new List<DeclaredPair>();
        foreach (var record in records.Skip(1))
        {
            if (errors.Count >= MaxErrors)
            {
                break;
            }

            if (record.Fields.Count != header.Fields.Count)
            {
                errors.Add(new ScopeError(record.Line, ScopeErrorCode.ColumnCount, $"{record.Fields.Count} / {header.Fields.Count}"));
                continue;
            }

            if (Pair(record, columns, errors) is { } pair)
            {
                pairs.Add(pair);
            }
        }

        return errors.Count > 0 ? new Result([], errors) : new Result(pairs, []);
    }

    private static Result Failed(params ScopeError[] errors) => new([], errors);

    private static Dictionary<string, int> Columns(CsvRecord header, List<ScopeError> errors)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            if (!ColumnNames.TryGetValue(name, out var column))
            {
                errors.Add(new ScopeError(header.Line, ScopeErrorCode.UnknownColumn, name));
            }
            else if (!columns.TryAdd(column, i))
            {
                errors.Add(new ScopeError(header.Line, ScopeErrorCode.DuplicateColumn, name));
            }
        }

        foreach (var required in new[] { Recipient, Subject })
        {
            if (!columns.ContainsKey(required))
            {
                errors.Add(new ScopeError(header.Line, ScopeErrorCode.MissingColumn, required));
            }
        }

        return columns;
    }

    private static DeclaredPair? Pair(CsvRecord record, Dictionary<string, int> columns, List<ScopeError> errors)
    {
        var before = errors.Count;
        var recipient = record.Fields[columns[Recipient]].Trim();
        var subject = record.Fields[columns[Subject]].Trim();
        if (recipient.Length == 0)
        {
            errors.Add(new ScopeError(record.Line, ScopeErrorCode.EmptyValue, Recipient));
        }
        else if (!LooksLikeEmail(recipient))
        {
            errors.Add(new ScopeError(record.Line, ScopeErrorCode.MalformedEmail, Mask.Value(recipient)));
        }

        if (subject.Length == 0)
        {
            errors.Add(new ScopeError(record.Line, ScopeErrorCode.EmptyValue, Subject));
        }
        else if (subject.Contains('@') && !LooksLikeEmail(subject))
        {
            errors.Add(new ScopeError(record.Line, ScopeErrorCode.MalformedEmail, Mask.Value(subject)));
        }

        IReadOnlyList<DataCategory>? categories = null;
        if (columns.TryGetValue(CategoriesColumn, out var c) && record.Fields[c].Trim().Length > 0)
        {
            var list = new List<DataCategory>();
            foreach (var name in record.Fields[c].Split([';', '；', '、', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (CategoryNamed(name) is { } category)
                {
                    list.Add(category);
                }
                else
                {
                    errors.Add(new ScopeError(record.Line, ScopeErrorCode.UnknownCategory, name));
                }
            }

            categories = list.Distinct().Order().ToArray();
        }

        if (errors.Count > before)
        {
            return null;
        }

        var subjectKey = subject.Contains('@') ? TextNormalizer.NormalizeEmail(subject) : subject;
        return new DeclaredPair(record.Line, TextNormalizer.NormalizeEmail(recipient), subjectKey, categories);
    }

    private static DataCategory? CategoryNamed(string name) =>
        DataCategoryNames.FromId(name.ToLowerInvariant())
        ?? Enum.GetValues<DataCategory>().Cast<DataCategory?>().FirstOrDefault(c => c!.Value.Japanese() == name || c.Value.English() == name.ToLowerInvariant());

    /// <summary>One '@', a non-empty local part, a dotted domain, no spaces: enough to catch a wrong column or a typo.</summary>
    private static bool LooksLikeEmail(string value)
    {
        var email = TextNormalizer.NormalizeEmail(value);
        var at = email.IndexOf('@');
        return at > 0 && at == email.LastIndexOf('@') && email.IndexOfAny([' ', ',', ';', '<', '>', '"']) < 0
            && email[(at + 1)..] is var domain && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.');
    }

    /// <summary>UTF-8 (BOM optional) or UTF-16 with a BOM; otherwise Shift_JIS; null when it is neither.</summary>
    private static string? Decode(byte[] bytes)
    {
        var strict = DecoderFallback.ExceptionFallback;
        try
        {
            if (bytes is [0xFF, 0xFE, ..])
            {
                return Encoding.GetEncoding("utf-16LE", EncoderFallback.ExceptionFallback, strict).GetString(bytes, 2, bytes.Length - 2);
            }

            if (bytes is [0xFE, 0xFF, ..])
            {
                return Encoding.GetEncoding("utf-16BE", EncoderFallback.ExceptionFallback, strict).GetString(bytes, 2, bytes.Length - 2);
            }

            var offset = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException)
        {
        }

        try
        {
            return Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, strict).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private sealed record CsvRecord(int Line, List<string> Fields);

    /// <summary>RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks; each record keeps the line it starts on.</summary>
    private static List<CsvRecord> Records(string text, out int? unterminatedAt)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var (line, start, quoted, quoteLine) = (1, 1, false, 0);
        unterminatedAt = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += ch == '\n' ? 1 : 0;
                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.ToString().Trim().Length == 0:
                    field.Clear();
                    quoted = true;
                    quoteLine = line;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    records.Add(new CsvRecord(start, fields));
                    (fields, field, line, start) = ([], new StringBuilder(), line + 1, line + 1);
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }

        if (quoted)
        {
            unterminatedAt = quoteLine;
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(new CsvRecord(start, fields));
        }

        return records;
    }
}
