using System.Text.Json.Serialization;

namespace MisSend.Core.Incidents;

/// <summary>People who have already been sent a notice of this incident (apology: subject key; delete request: address).</summary>
public sealed record NotifiedPeople(IReadOnlySet<string> SubjectKeys, IReadOnlySet<string> Recipients)
{
    public static readonly NotifiedPeople None = new(new HashSet<string>(), new HashSet<string>());

    public bool Any => SubjectKeys.Count > 0 || Recipients.Count > 0;
}

public enum ScopeChangeMode
{
    /// <summary>The first declaration of the incident.</summary>
    [JsonStringEnumMemberName("first")]
    First,

    /// <summary>No notice had gone out: the new declaration replaced the old one.</summary>
    [JsonStringEnumMemberName("replaced")]
    Replaced,

    /// <summary>Notices had gone out: the new declaration was added to the old ones, and nobody was dropped.</summary>
    [JsonStringEnumMemberName("extended")]
    Extended,
}

/// <summary>Data subjects (by key) and recipients (by address).</summary>
public sealed record PeopleDelta(IReadOnlyList<string> SubjectKeys, IReadOnlyList<string> Recipients)
{
    public bool IsEmpty => SubjectKeys.Count == 0 && Recipients.Count == 0;
}

/// <summary>What a re-declaration changed, so the operator sees it and the notices follow it.</summary>
/// <param name="Added">People the scope now names who were not in it: their notices go out next.</param>
/// <param name="Removed">Replaced mode only: people no longer in the scope (nobody had been told anything).</param>
/// <param name="KeptFromEarlier">Extended mode: people of earlier declarations the new one does not name, kept in the scope.</param>
/// <param name="NotifiedWithChangedCounts">People already told a number (recipients of their data, mails received) that is now different.</param>
public sealed record ScopeChange(ScopeChangeMode Mode, PeopleDelta Added, PeopleDelta Removed, PeopleDelta KeptFromEarlier, PeopleDelta NotifiedWithChangedCounts);

public sealed record RedeclarationResult(DeclaredScope? Scope, ScopeChange? Change, IReadOnlyList<ScopeError> Errors);

/// <summary>
/// Re-declaring a reported incident's scope. Before any notice went out the new declaration replaces the old one
/// (the operator corrects a mistake nobody has acted on); after, it is added to the declarations in force, so
/// people already told stay in the scope and the report keeps counting them.
/// </summary>
public static class ScopeRedeclaration
{
    /// <param name="noticesStarted">
    /// Notices of the scope in force may be going out even though none is recorded yet (a dispatcher has begun): the new
    /// declaration is added, as if people had been told.
    /// </param>
    public static RedeclarationResult Apply(IReadOnlyList<JobDelivery> deliveries, DeclaredScope? previous, NotifiedPeople notified, ScopeDeclaration next, bool noticesStarted = false)
    {
        var mode = previous is null ? ScopeChangeMode.First : notified.Any || noticesStarted ? ScopeChangeMode.Extended : ScopeChangeMode.Replaced;
        var inForce = mode == ScopeChangeMode.Extended ? [.. previous!.Declarations, next] : new[] { next };
        var computed = ScopeCalculator.Compute(deliveries, inForce);
        if (computed.Scope is not { } scope)
        {
            return new RedeclarationResult(null, null, computed.Errors);
        }

        var before = People.Of(previous);
        var after = People.Of(scope);
        var kept = mode == ScopeChangeMode.Extended ? People.Of(ScopeCalculator.Compute(deliveries, [next]).Scope) : People.Empty;
        var change = new ScopeChange(
            mode,
            Added: after.Except(before),
            Removed: before.Except(after),
            KeptFromEarlier: mode == ScopeChangeMode.Extended ? before.Except(kept) : new PeopleDelta([], []),
            NotifiedWithChangedCounts: new PeopleDelta(
                after.Subjects.Where(p => notified.SubjectKeys.Contains(p.Key) && before.Subjects.TryGetValue(p.Key, out var n) && n != p.Value).Select(p => p.Key).ToArray(),
                after.Recipients.Where(p => notified.Recipients.Contains(p.Key) && before.Recipients.TryGetValue(p.Key, out var n) && n != p.Value).Select(p => p.Key).ToArray()));
        return new RedeclarationResult(scope, change, []);
    }

    /// <summary>Each person in a scope with the number their notice states.</summary>
    private sealed record People(Dictionary<string, int> Subjects, Dictionary<string, int> Recipients)
    {
        public static readonly People Empty = new([], []);

        public static People Of(DeclaredScope? scope) => scope is null
            ? Empty
            : new(scope.Subjects.ToDictionary(s => s.Subject.Key, s => s.RecipientCount), scope.Recipients.ToDictionary(r => r.Address, r => r.SubjectCount));

        public PeopleDelta Except(People other) => new(
            Subjects.Keys.Where(k => !other.Subjects.ContainsKey(k)).ToArray(),
            Recipients.Keys.Where(k => !other.Recipients.ContainsKey(k)).ToArray());
    }
}
