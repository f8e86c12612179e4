using MisSend.Core.Detection.Model;

namespace MisSend.Core.Detection.LeakRules;

/// <summary>
/// One shape of leak, like a Roslyn analyzer: one class, one id, one descriptor. A rule only reads the scan context
/// (built once per batch) and reports findings; adding a rule touches no other rule.
/// </summary>
public interface IRule
{
    RuleDescriptor Descriptor { get; }

    IEnumerable<Finding> Check(ScanContext context);
}

internal static class RuleHelpers
{
    public static DataCategory[] Categories(IEnumerable<Reach> reaches) =>
        reaches.SelectMany(r => r.Categories).Distinct().Order().ToArray();

    /// <summary>Reaches that come from what the personalizations carry (not the shared body, sender fields or visible addresses).</summary>
    public static bool FromMergeData(Reach r) =>
        r.Cause is not (ExposureCause.SharedText or ExposureCause.SenderField or ExposureCause.VisibleAddress)
        && r.Entitlement is not (Entitlement.Related or Entitlement.Colleague);
}
