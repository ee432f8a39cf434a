namespace Cirt.Grains.Incidents;

/// <summary>
/// An analyst's triage of a reported incident. Accepting it also settles what its reporter
/// proposed: every proposed affected stakeholder and sector (<see cref="ConfirmProposed"/>), or those
/// named in <see cref="ConfirmStakeholderIds"/> and <see cref="ConfirmSectorCodes"/>; the rest are declined.
/// </summary>
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
    [property: Id(7)] string Reason)
{
    /// <summary>Confirm every stakeholder and sector the reporter proposed.</summary>
    [Id(8)]
    public bool ConfirmProposed { get; init; }

    /// <summary>The proposed affected stakeholders confirmed (each must have been proposed).</summary>
    [Id(9)]
    public string[] ConfirmStakeholderIds { get; init; } = [];

    /// <summary>The proposed sectors confirmed (each must have been proposed).</summary>
    [Id(10)]
    public string[] ConfirmSectorCodes { get; init; } = [];
}
