namespace Cirt.Server.Stix;

/// <summary>A bundle refused for breaking STIX rules: each violation names the object and the rule.</summary>
public sealed class StixBundleRejectedException(IReadOnlyList<StixViolation> violations)
    : Exception("The STIX bundle breaks the rules: " + string.Join("; ", violations.Take(5)) + (violations.Count > 5 ? $"; and {violations.Count - 5} more" : ""))
{
    public IReadOnlyList<StixViolation> Violations { get; } = violations;
}
