namespace Cirt.Grains.Incidents;

/// <summary>The incident after adding observables, and how many of them were new.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.ObservablesAdded")]
public sealed record ObservablesAdded(
    [property: Id(0)] Incident Incident,
    [property: Id(1)] int AddedCount);
