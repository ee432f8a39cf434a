namespace Cirt.Grains.Incidents;

/// <summary>The outcome of triage.</summary>
public enum TriageOutcome
{
    Accept = 1,
    Reject = 2,
    Duplicate = 3,
}
