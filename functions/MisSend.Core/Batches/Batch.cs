namespace MisSend.Core.Batches;

/// <summary>One outbound message on the queue: a SendGrid v3 mail/send body plus the job it belongs to.</summary>
public sealed record OutboundBatch(
    string? JobId,
    int Chunk,
    int ChunkCount,
    MailBody Mail,
    BatchPolicy Policy)
{
    private readonly ReadOnlyMemory<byte> _mailUtf8;
    private string? _mailJson;

    public OutboundBatch(string? jobId, int chunk, int chunkCount, MailBody mail, BatchPolicy policy, string mailJson)
        : this(jobId, chunk, chunkCount, mail, policy) => _mailJson = mailJson;

    /// <param name="mailUtf8">The body's bytes as the message holds them (kept, not copied: the message must not change).</param>
    internal OutboundBatch(string? jobId, int chunk, int chunkCount, MailBody mail, BatchPolicy policy, ReadOnlyMemory<byte> mailUtf8)
        : this(jobId, chunk, chunkCount, mail, policy) => _mailUtf8 = mailUtf8;

    /// <summary>
    /// The SendGrid body exactly as it will be forwarded. Decoded when first read: a halted batch is never forwarded, and
    /// a 1,000-personalization body is a megabyte of text.
    /// </summary>
    public string MailJson => _mailJson ??= System.Text.Encoding.UTF8.GetString(_mailUtf8.Span);

    /// <summary>A bare body is a job of one chunk; its id is derived from the body so redelivery maps to the same job.</summary>
    public bool IsEnvelope => JobId is not null;
}

/// <param name="ReplyToList">SendGrid's <c>reply_to_list</c>; <see cref="ReplyTo"/> is the single <c>reply_to</c>.</param>
/// <param name="Headers">Mail-level <c>headers</c>: recipients can read them.</param>
public sealed record MailBody(
    EmailAddress? From,
    EmailAddress? ReplyTo,
    IReadOnlyList<EmailAddress> ReplyToList,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Subject,
    string? TemplateId,
    long? SendAt,
    string? BatchId,
    IReadOnlyList<Personalization> Personalizations,
    IReadOnlyList<ContentPart> Content,
    IReadOnlyList<Attachment> Attachments)
{
    public int RecipientCount => Personalizations.Sum(p => p.To.Count + p.Cc.Count + p.Bcc.Count);
}

public sealed record EmailAddress(string Email, string? Name);

/// <summary>One personalization. <see cref="Data"/> flattens dynamic_template_data (key paths) and substitutions (tags).</summary>
public sealed record Personalization(
    int Index,
    IReadOnlyList<EmailAddress> To,
    IReadOnlyList<EmailAddress> Cc,
    IReadOnlyList<EmailAddress> Bcc,
    string? Subject,
    IReadOnlyList<KeyValuePair<string, string>> Data,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public IEnumerable<EmailAddress> AllRecipients => To.Concat(Cc).Concat(Bcc);
    public IEnumerable<EmailAddress> VisibleRecipients => To.Concat(Cc);
}

/// <summary>Shared body text, already decoded: HTML tags stripped and entities resolved.</summary>
public sealed record ContentPart(string Type, string Text);

/// <summary>A shared attachment. <see cref="Text"/> is the decoded content when the type is text-like, else null.</summary>
public sealed record Attachment(string? FileName, string? Type, string? Text);

/// <summary>What the sender declares about a job. Everything is optional: zero configuration must work.</summary>
public sealed record BatchPolicy
{
    public static readonly BatchPolicy Default = new();

    /// <summary>Merge fields (key paths or substitution tags) that are personal even when constant.</summary>
    public IReadOnlyList<string> PersonalFields { get; init; } = [];

    /// <summary>Merge field that names the data subject (e.g. a member number).</summary>
    public string? SubjectKeyField { get; init; }

    /// <summary>Domains whose addresses are staff, not outside people.</summary>
    public IReadOnlyList<string> InternalDomains { get; init; } = [];

    /// <summary>Notice language: "ja" or "en". Null lets each recipient's data decide.</summary>
    public string? Language { get; init; }

    /// <summary>Minutes SendGrid holds each chunk (send_at) so that a later halt can still cancel it. 0 = send now.</summary>
    public int HoldMinutes { get; init; }

    /// <summary>Who data subjects can contact, quoted in notices.</summary>
    public string? ContactEmail { get; init; }

    /// <summary>
    /// Whether the pipeline adds each personalization's signed "this mail is not for me" link (<c>not_mine_url</c>) at
    /// send time. On unless the policy says <c>"notMineLink": false</c>.
    /// </summary>
    public bool NotMineLink { get; init; } = true;

    /// <summary>
    /// How the people in the merge data relate to the recipient, by key or key prefix (e.g. <c>"pupil": "dependant"</c>):
    /// what key-name inference would guess, declared. Keys are compared without case.
    /// </summary>
    public IReadOnlyDictionary<string, PartyRole> Relationships { get; init; } = new Dictionary<string, PartyRole>();
}

/// <summary>Who a record in the merge data is, seen from the recipient of the mail.</summary>
public enum PartyRole
{
    /// <summary>The recipient themselves (the default for a mail's main record).</summary>
    Self,

    /// <summary>Someone the recipient legitimately acts for: a child, a pupil, a patient's dependant.</summary>
    Dependant,

    /// <summary>The recipient's guardian or another member of the household.</summary>
    Household,

    /// <summary>The person an order ships to, a gift recipient.</summary>
    ShipTo,

    /// <summary>The party an invoice is billed to.</summary>
    Billing,

    /// <summary>An organisation (a customer company), not a natural person.</summary>
    Organisation,

    /// <summary>The sender's own staff, office, branch or help desk.</summary>
    Staff,

    /// <summary>A public figure named in the mail (a player, a speaker, the chairman).</summary>
    Public,
}
