namespace Cirt.Grains.Incidents;

/// <summary>One entry of an incident's append-only timeline: who did what, when, and who may read it.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.TimelineEntry")]
public sealed record TimelineEntry(
    [property: Id(0)] int Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Actor,
    [property: Id(3)] string Kind,
    [property: Id(4)] string Summary)
{
    /// <summary>Internal (CIRT staff only) or shared with the organisations that see the incident.</summary>
    [Id(5)] public TimelineVisibility Visibility { get; init; } = TimelineVisibility.Shared;

    /// <summary>
    /// The organisation whose key made the change that wrote the entry; null for CIRT staff, the
    /// system, and entries recorded before it was kept. Counts the entry against that
    /// organisation's share of the timeline (<see cref="IncidentBudget"/>).
    /// </summary>
    [Id(6)] public string? AuthorOrganisation { get; init; }
}
