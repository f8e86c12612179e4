using System.Text.Json.Serialization;
using MisSend.Core;

namespace MisSend.Core.Incidents;

/// <summary>What kind of truth an incident tells. Each kind has its own report.</summary>
public enum IncidentKind
{
    /// <summary>Halted before anything left: nothing leaked. Recorded as a near miss, never reported as a leak.</summary>
    [JsonStringEnumMemberName("near-miss")]
    NearMiss,

    /// <summary>Found by the detector after part of the job had gone out: the scope comes from the exposure ledger.</summary>
    [JsonStringEnumMemberName("leak")]
    Leak,

    /// <summary>Opened by an operator or by a recipient's report: the scope is under investigation until declared.</summary>
    [JsonStringEnumMemberName("reported")]
    Reported,
}

/// <summary>Who opened the incident.</summary>
public enum IncidentSource
{
    [JsonStringEnumMemberName("detector")]
    Detector,

    [JsonStringEnumMemberName("operator")]
    Operator,

    /// <summary>A recipient used the "this mail is not for me" link.</summary>
    [JsonStringEnumMemberName("recipient-report")]
    RecipientReport,
}

public enum ActorRole
{
    /// <summary>The product itself: the detector, the dispatcher.</summary>
    [JsonStringEnumMemberName("system")]
    System,

    [JsonStringEnumMemberName("operator")]
    Operator,

    [JsonStringEnumMemberName("recipient")]
    Recipient,
}

/// <summary>Who did something. <paramref name="Name"/> is an operator's sign-in name; never a recipient's address.</summary>
public sealed record Actor(ActorRole Role, string? Name = null)
{
    public static readonly Actor System = new(ActorRole.System);

    public static readonly Actor Recipient = new(ActorRole.Recipient);

    public static Actor Operator(string name) => new(ActorRole.Operator, name);
}

/// <summary>One entry of an incident's kind history. The first entry has no <see cref="From"/>: it is the opening.</summary>
public sealed record KindChange(IncidentKind? From, IncidentKind To, Actor By, DateTimeOffset At, string Reason);

/// <summary>An incident's identity and the history of its kind; its kind is always the last change's.</summary>
public sealed record Incident(string Id, string JobId, IncidentSource Source, IReadOnlyList<KindChange> KindHistory)
{
    public IncidentKind Kind => KindHistory[^1].To;

    public DateTimeOffset OpenedAt => KindHistory[0].At;

    /// <summary>
    /// The detector's incident is a near miss when nothing of the job reached anyone else and a leak otherwise;
    /// an incident opened by people starts as reported, whatever the ledger says, until its scope is declared.
    /// </summary>
    public static IncidentKind KindAtOpening(IncidentSource source, bool personalDataLeft) => source switch
    {
        IncidentSource.Detector => personalDataLeft ? IncidentKind.Leak : IncidentKind.NearMiss,
        _ => IncidentKind.Reported,
    };

    public static Incident Open(string id, string jobId, IncidentSource source, bool personalDataLeft, Actor by, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new Incident(id, jobId, source, [new KindChange(null, KindAtOpening(source, personalDataLeft), by, at, reason)]);
    }

    /// <summary>A new kind, with who changed it, when and why. The history keeps every earlier kind.</summary>
    public Incident ChangeKind(IncidentKind to, Actor by, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (to == Kind)
        {
            throw new InvalidOperationException($"incident {Id} is already {StoredName.Of(to)}");
        }

        if (at < KindHistory[^1].At)
        {
            throw new InvalidOperationException($"a kind change at {at:O} would precede the last one at {KindHistory[^1].At:O}");
        }

        return this with { KindHistory = [.. KindHistory, new KindChange(Kind, to, by, at, reason)] };
    }
}
