using System.Net;
using System.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MisSend.Core.Batches;

/// <summary>
/// Reads a queue message: a bare SendGrid v3 mail/send body or the envelope
/// <c>{ jobId, chunk, chunkCount, mail, policy }</c>. Throws <see cref="BatchFormatException"/> for anything else.
/// </summary>
public static partial class BatchParser
{
    /// <summary>SendGrid's own limits for one mail/send request. A batch over them is still scanned (and halted).</summary>
    public const int MaxPersonalizations = Detection.Thresholds.MaxPersonalizations;
    public const int MaxRecipients = Detection.Thresholds.MaxRecipients;
    public const int DefaultMaxBodyBytes = 30 * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    static BatchParser() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static OutboundBatch Parse(string json, int maxBodyBytes = DefaultMaxBodyBytes) =>
        Parse(Encoding.UTF8.GetBytes(json), maxBodyBytes);

    /// <summary>Parses a message. The batch keeps <paramref name="utf8"/> (for <see cref="OutboundBatch.MailJson"/>): do not change it afterwards.</summary>
    public static OutboundBatch Parse(ReadOnlyMemory<byte> utf8, int maxBodyBytes = DefaultMaxBodyBytes)
    {
        if (utf8.Length > maxBodyBytes)
        {
            throw new BatchFormatException(
                $"body is {utf8.Length:N0} bytes; the limit is {maxBodyBytes:N0} bytes (SendGrid accepts at most 30 MB)");
        }

        if (utf8.IsEmpty)
        {
            throw new BatchFormatException("body is empty");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new BatchFormatException(
                $"invalid JSON: {FirstSentence(e.Message)}",
                e.LineNumber + 1, e.BytePositionInLine + 1, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BatchFormatException($"expected a JSON object, found {Describe(root.ValueKind)}");
            }

            return root.TryGetProperty("mail", out var mail)
                ? ParseEnvelope(root, mail, utf8)
                : new OutboundBatch(null, 1, 1, ParseMail(root), BatchPolicy.Default, utf8);
        }
    }

    private static OutboundBatch ParseEnvelope(JsonElement root, JsonElement mail, ReadOnlyMemory<byte> utf8)
    {
        if (mail.ValueKind != JsonValueKind.Object)
        {
            throw new BatchFormatException($"envelope: \"mail\" must be an object, found {Describe(mail.ValueKind)}");
        }

        var jobId = OptionalString(root, "jobId", "envelope");
        if (jobId is not null && (jobId.Length is 0 or > 200 || jobId.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?')))
        {
            throw new BatchFormatException("envelope: \"jobId\" must be 1-200 characters without / \\ # ? or control characters");
        }

        var chunk = OptionalInt(root, "chunk", "envelope") ?? 1;
        var chunkCount = OptionalInt(root, "chunkCount", "envelope") ?? 1;
        if (chunkCount < 1 || chunk < 1 || chunk > chunkCount)
        {
            throw new BatchFormatException($"envelope: chunk {chunk} of {chunkCount} is out of range");
        }

        var policy = root.TryGetProperty("policy", out var p) && p.ValueKind != JsonValueKind.Null
            ? ParsePolicy(p)
            : BatchPolicy.Default;

        // The mail's own bytes within the message, forwarded as they came.
        utf8.Span.Overlaps(JsonMarshal.GetRawUtf8Value(mail), out var start);
        return new OutboundBatch(jobId, chunk, chunkCount, ParseMail(mail), policy, utf8.Slice(start, JsonMarshal.GetRawUtf8Value(mail).Length));
    }

    public static BatchPolicy ParsePolicy(JsonElement p)
    {
        if (p.ValueKind != JsonValueKind.Object)
        {
            throw new BatchFormatException($"policy must be an object, found {Describe(p.ValueKind)}");
        }

        var hold = OptionalInt(p, "holdMinutes", "policy") ?? 0;
        if (hold is < 0 or > 72 * 60)
        {
            throw new BatchFormatException("policy: holdMinutes must be between 0 and 4320 (SendGrid schedules at most 72 hours ahead)");
        }

        var language = OptionalString(p, "language", "policy");
        if (language is not null and not ("ja" or "en"))
        {
            throw new BatchFormatException("policy: language must be \"ja\" or \"en\"");
        }

        return new BatchPolicy
        {
            PersonalFields = StringArray(p, "personalFields"),
            SubjectKeyField = OptionalString(p, "subjectKeyField", "policy"),
            InternalDomains = StringArray(p, "internalDomains").Select(d => d.Trim().TrimStart('@').ToLowerInvariant()).ToArray(),
            Language = language,
            HoldMinutes = hold,
            ContactEmail = OptionalString(p, "contactEmail", "policy"),
            Relationships = Relationships(p),
            NotMineLink = OptionalBool(p, "notMineLink", "policy") ?? true,
        };
    }

    /// <summary><c>"relationships": { "pupil": "dependant", "ship_to": "ship-to" }</c>: key or key prefix to role.</summary>
    private static Dictionary<string, PartyRole> Relationships(JsonElement policy)
    {
        var map = new Dictionary<string, PartyRole>(StringComparer.OrdinalIgnoreCase);
        if (!policy.TryGetProperty("relationships", out var r) || r.ValueKind == JsonValueKind.Null)
        {
            return map;
        }

        if (r.ValueKind != JsonValueKind.Object)
        {
            throw new BatchFormatException($"policy.relationships must be an object of key to role, found {Describe(r.ValueKind)}");
        }

        foreach (var entry in r.EnumerateObject())
        {
            var role = entry.Value.ValueKind == JsonValueKind.String ? ParseRole(entry.Value.GetString()!) : null;
            map[entry.Name] = role ?? throw new BatchFormatException(
                "policy.relationships: each role must be one of " + string.Join(", ", Enum.GetValues<PartyRole>().Select(RoleName)));
        }

        return map;
    }

    /// <summary>"ship-to" for <see cref="PartyRole.ShipTo"/>: the kebab-case name used in policies.</summary>
    public static string RoleName(PartyRole role) => role switch
    {
        PartyRole.ShipTo => "ship-to",
        _ => role.ToString().ToLowerInvariant(),
    };

    private static PartyRole? ParseRole(string name) =>
        Enum.GetValues<PartyRole>().Cast<PartyRole?>().FirstOrDefault(r => RoleName(r!.Value) == name.Trim().ToLowerInvariant());

    private static MailBody ParseMail(JsonElement mail)
    {
        if (!mail.TryGetProperty("personalizations", out var ps))
        {
            throw new BatchFormatException("not a SendGrid mail/send body: \"personalizations\" is missing");
        }

        if (ps.ValueKind != JsonValueKind.Array)
        {
            throw new BatchFormatException($"\"personalizations\" must be an array, found {Describe(ps.ValueKind)}");
        }

        var count = ps.GetArrayLength();
        if (count == 0)
        {
            throw new BatchFormatException("\"personalizations\" is empty: there is nothing to send");
        }

        // Over SendGrid's limits (MaxPersonalizations, MaxRecipients) is no reason not to look: the detector scans the
        // batch and halts it with its findings and a limits finding.
        var personalizations = new Personalization[count];
        var index = 0;
        var repeats = new Repeats();
        foreach (var item in ps.EnumerateArray())
        {
            personalizations[index] = ParsePersonalization(item, index, repeats);
            index++;
        }

        return new MailBody(
            OptionalAddress(mail, "from", "mail"),
            OptionalAddress(mail, "reply_to", "mail"),
            AddressList(mail, "reply_to_list", "mail"),
            Headers(mail, "mail"),
            OptionalString(mail, "subject", "mail"),
            OptionalString(mail, "template_id", "mail"),
            OptionalLong(mail, "send_at", "mail"),
            OptionalString(mail, "batch_id", "mail"),
            personalizations,
            ParseContent(mail),
            ParseAttachments(mail));
    }

    private static Personalization ParsePersonalization(JsonElement p, int index, Repeats repeats)
    {
        var where = $"personalizations[{index}]";
        if (p.ValueKind != JsonValueKind.Object)
        {
            throw new BatchFormatException($"{where} must be an object, found {Describe(p.ValueKind)}");
        }

        var to = AddressList(p, "to", where);
        if (to.Count == 0)
        {
            throw new BatchFormatException($"{where}.to must name at least one recipient");
        }

        var data = new List<KeyValuePair<string, string>>(repeats.Fields);
        if (p.TryGetProperty("dynamic_template_data", out var dtd) && dtd.ValueKind != JsonValueKind.Null)
        {
            if (dtd.ValueKind != JsonValueKind.Object)
            {
                throw new BatchFormatException($"{where}.dynamic_template_data must be an object, found {Describe(dtd.ValueKind)}");
            }

            repeats.Flatten(dtd, prefix: null, data);
        }

        if (p.TryGetProperty("substitutions", out var subs) && subs.ValueKind != JsonValueKind.Null)
        {
            if (subs.ValueKind != JsonValueKind.Object)
            {
                throw new BatchFormatException($"{where}.substitutions must be an object, found {Describe(subs.ValueKind)}");
            }

            foreach (var s in subs.EnumerateObject())
            {
                var key = repeats.Key(s, prefix: null, data.Count);
                data.Add(new(key, s.Value.ValueKind == JsonValueKind.String ? repeats.Value(s.Value, key, data.Count) : s.Value.GetRawText()));
            }
        }

        repeats.Remember(data);
        return new Personalization(index, to, AddressList(p, "cc", where), AddressList(p, "bcc", where),
            OptionalString(p, "subject", where), data, Headers(p, where));
    }

    /// <summary>
    /// Reads merge data with the strings of the personalization before where they are the same: every personalization
    /// repeats the keys, and many values too (a venue, a due date, one customer's data copied everywhere). One string per
    /// key and per repeated value, instead of one per personalization.
    /// </summary>
    private sealed class Repeats
    {
        private List<KeyValuePair<string, string>> _previous = [];

        /// <summary>Positions whose value has changed once: they are not compared again.</summary>
        private readonly List<bool> _varies = [];

        public void Remember(List<KeyValuePair<string, string>> data) => _previous = data;

        /// <summary>How many fields to expect: as many as the personalization before.</summary>
        public int Fields => Math.Max(_previous.Count, 4);

        /// <summary>The key path of <paramref name="prop"/> under <paramref name="prefix"/>, as the field at position <paramref name="at"/>.</summary>
        public string Key(JsonProperty prop, string? prefix, int at)
        {
            if (at < _previous.Count && _previous[at].Key is var before
                && (prefix is null ? prop.NameEquals(before)
                    : before.Length > prefix.Length + 1 && before[prefix.Length] == '.' && before.StartsWith(prefix, StringComparison.Ordinal)
                      && prop.NameEquals(before.AsSpan(prefix.Length + 1))))
            {
                return before;
            }

            return prefix is null ? prop.Name : $"{prefix}.{prop.Name}";
        }

        /// <summary>The string value of the field <paramref name="key"/> at position <paramref name="at"/>.</summary>
        public string Value(JsonElement value, string key, int at)
        {
            while (_varies.Count <= at)
            {
                _varies.Add(false);
            }

            if (at < _previous.Count && !_varies[at] && ReferenceEquals(_previous[at].Key, key))
            {
                if (value.ValueEquals(_previous[at].Value))
                {
                    return _previous[at].Value;
                }

                _varies[at] = true;
            }

            return value.GetString()!;
        }

        public void Flatten(JsonElement e, string? prefix, List<KeyValuePair<string, string>> into)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var prop in e.EnumerateObject())
                    {
                        Flatten(prop.Value, prop.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array
                            ? prefix is null ? prop.Name : $"{prefix}.{prop.Name}"
                            : Key(prop, prefix, into.Count), into);
                    }

                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in e.EnumerateArray())
                    {
                        Flatten(item, $"{prefix}[{i++}]", into);
                    }

                    break;
                case JsonValueKind.String:
                    into.Add(new(prefix ?? "", Value(e, prefix ?? "", into.Count)));
                    break;
                case JsonValueKind.Number:
                    into.Add(new(prefix ?? "", e.GetRawText()));
                    break;
            }
        }
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Headers(JsonElement parent, string where)
    {
        if (!parent.TryGetProperty("headers", out var headers) || headers.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        var list = new List<KeyValuePair<string, string>>();

        if (headers.ValueKind != JsonValueKind.Object)
        {
            throw new BatchFormatException($"{where}.headers must be an object, found {Describe(headers.ValueKind)}");
        }

        foreach (var h in headers.EnumerateObject())
        {
            list.Add(new(h.Name, h.Value.ValueKind == JsonValueKind.String ? h.Value.GetString()! : h.Value.GetRawText()));
        }

        return list;
    }

    private static List<ContentPart> ParseContent(JsonElement mail)
    {
        var parts = new List<ContentPart>();
        if (!mail.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return parts;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new BatchFormatException($"\"content\" must be an array, found {Describe(content.ValueKind)}");
        }

        var i = 0;
        foreach (var c in content.EnumerateArray())
        {
            var where = $"content[{i++}]";
            if (c.ValueKind != JsonValueKind.Object)
            {
                throw new BatchFormatException($"{where} must be an object, found {Describe(c.ValueKind)}");
            }

            var type = OptionalString(c, "type", where) ?? "text/plain";
            var value = OptionalString(c, "value", where) ?? "";
            parts.Add(new ContentPart(type, type.Contains("html", StringComparison.OrdinalIgnoreCase) ? HtmlToText(value) : value));
        }

        return parts;
    }

    private static List<Attachment> ParseAttachments(JsonElement mail)
    {
        var list = new List<Attachment>();
        if (!mail.TryGetProperty("attachments", out var atts) || atts.ValueKind == JsonValueKind.Null)
        {
            return list;
        }

        if (atts.ValueKind != JsonValueKind.Array)
        {
            throw new BatchFormatException($"\"attachments\" must be an array, found {Describe(atts.ValueKind)}");
        }

        var i = 0;
        foreach (var a in atts.EnumerateArray())
        {
            var where = $"attachments[{i++}]";
            if (a.ValueKind != JsonValueKind.Object)
            {
                throw new BatchFormatException($"{where} must be an object, found {Describe(a.ValueKind)}");
            }

            var name = OptionalString(a, "filename", where);
            var type = OptionalString(a, "type", where);
            var content = OptionalString(a, "content", where) ?? "";
            string? text = null;
            if (IsTextLike(type, name))
            {
                byte[] bytes;
                try
                {
                    bytes = Convert.FromBase64String(content);
                }
                catch (FormatException e)
                {
                    throw new BatchFormatException($"{where}.content is not valid base64", inner: e);
                }

                text = DecodeText(bytes);
                if (type?.Contains("html", StringComparison.OrdinalIgnoreCase) == true)
                {
                    text = HtmlToText(text);
                }
            }

            list.Add(new Attachment(name, type, text));
        }

        return list;
    }

    private static bool IsTextLike(string? type, string? fileName)
    {
        if (type is not null && (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || type.Contains("csv", StringComparison.OrdinalIgnoreCase)
            || type.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        return ext is ".csv" or ".tsv" or ".txt" or ".json" or ".html" or ".htm";
    }

    /// <summary>
    /// A byte-order mark decides; without one, UTF-16 shows as a zero byte in every other position, valid UTF-8 is UTF-8,
    /// and anything else is taken for Shift_JIS (Japanese CSV exports from Excel).
    /// </summary>
    internal static string DecodeText(byte[] bytes)
    {
        ReadOnlySpan<byte> b = bytes;
        if (b.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(b[3..]);
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(b[2..]);
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(b[2..]);
        }

        if (LooksLikeUtf16(b, out var bigEndian))
        {
            return (bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode).GetString(b);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(932).GetString(bytes);
        }
    }

    /// <summary>Text in UTF-16 without a BOM: most ASCII characters leave a zero byte on one side of each pair.</summary>
    private static bool LooksLikeUtf16(ReadOnlySpan<byte> b, out bool bigEndian)
    {
        bigEndian = false;
        if (b.Length < 4 || b.Length % 2 != 0)
        {
            return false;
        }

        int evenZeros = 0, oddZeros = 0;
        var pairs = Math.Min(b.Length / 2, 512);
        for (var i = 0; i < pairs; i++)
        {
            evenZeros += b[2 * i] == 0 ? 1 : 0;
            oddZeros += b[2 * i + 1] == 0 ? 1 : 0;
        }

        bigEndian = evenZeros > oddZeros;
        return Math.Max(evenZeros, oddZeros) * 4 >= pairs && Math.Min(evenZeros, oddZeros) * 8 < pairs;
    }

    internal static string HtmlToText(string html)
    {
        // Rows, cells and paragraphs keep their boundaries: a pasted table must still read as one person per line.
        var noScripts = ScriptOrStyle().Replace(html, " ");
        var lines = BlockBreak().Replace(noScripts, "\n");
        var noTags = Tag().Replace(lines, " ");
        return WebUtility.HtmlDecode(noTags);
    }

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"<\s*(br|/p|/tr|/li|/div|/h[1-6]|/table|hr)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockBreak();

    private static IReadOnlyList<EmailAddress> AddressList(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var arr) || arr.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        var list = new List<EmailAddress>(arr.ValueKind == JsonValueKind.Array ? arr.GetArrayLength() : 0);

        if (arr.ValueKind != JsonValueKind.Array)
        {
            throw new BatchFormatException($"{where}.{name} must be an array, found {Describe(arr.ValueKind)}");
        }

        var i = 0;
        foreach (var item in arr.EnumerateArray())
        {
            list.Add(ListedAddress(item, where, name, i++));
        }

        return list;
    }

    /// <summary>
    /// <see cref="Address"/> for an item of an address list, without building its error location ("personalizations[3].bcc[17]")
    /// unless the item is invalid: the common case allocates only the address.
    /// </summary>
    private static EmailAddress ListedAddress(JsonElement e, string where, string listName, int index)
    {
        if (e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String
            && (!e.TryGetProperty("name", out var name) || name.ValueKind is JsonValueKind.String or JsonValueKind.Null)
            && email.GetString() is { } value && !string.IsNullOrWhiteSpace(value) && value.Contains('@'))
        {
            return new EmailAddress(value.Trim(), name.ValueKind == JsonValueKind.String ? name.GetString() : null);
        }

        return Address(e, $"{where}.{listName}[{index}]");
    }

    private static EmailAddress? OptionalAddress(JsonElement parent, string name, string where) =>
        parent.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? Address(e, $"{where}.{name}") : null;

    private static EmailAddress Address(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new BatchFormatException($"{where} must be an object with \"email\", found {Describe(e.ValueKind)}");
        }

        var email = OptionalString(e, "email", where);
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@'))
        {
            throw new BatchFormatException($"{where}.email is missing or not an e-mail address");
        }

        return new EmailAddress(email.Trim(), OptionalString(e, "name", where));
    }

    private static string? OptionalString(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.String
            ? e.GetString()
            : throw new BatchFormatException($"{where}.{name} must be a string, found {Describe(e.ValueKind)}");
    }

    private static int? OptionalInt(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v)
            ? v
            : throw new BatchFormatException($"{where}.{name} must be a whole number, found {Describe(e.ValueKind)}");
    }

    private static bool? OptionalBool(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? e.GetBoolean()
            : throw new BatchFormatException($"{where}.{name} must be true or false, found {Describe(e.ValueKind)}");
    }

    private static long? OptionalLong(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v)
            ? v
            : throw new BatchFormatException($"{where}.{name} must be a whole number, found {Describe(e.ValueKind)}");
    }

    private static string[] StringArray(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
        {
            throw new BatchFormatException($"policy.{name} must be an array of strings");
        }

        return e.EnumerateArray().Select(x => x.GetString()!).ToArray();
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: $ | LineNumber: ..." which we report separately.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
