namespace Cirt.Grains.Incidents;

/// <summary>An analyst's triage of a reported incident.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.TriageDecision")]
public sealed record TriageDecision(
    [property: Id(0)] TriageOutcome Outcome,
    [property: Id(1)] string RsitClass,
    [property: Id(2)] string RsitType,
    [property: Id(3)] Severity Severity,
    [property: Id(4)] Tlp? Tlp,
    [property: Id(5)] string Assignee,
    [property: Id(6)] string DuplicateOf,
    [property: Id(7)] string Reason);
