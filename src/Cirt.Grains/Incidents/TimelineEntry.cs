namespace Cirt.Grains.Incidents;

/// <summary>One entry of an incident's append-only timeline: who did what, when.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.TimelineEntry")]
public sealed record TimelineEntry(
    [property: Id(0)] int Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Actor,
    [property: Id(3)] string Kind,
    [property: Id(4)] string Summary);
