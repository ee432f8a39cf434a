namespace Cirt.Grains.Ingest;

/// <summary>What applying an aggregate came to: its incident, and whether this call opened it (else it updated it).</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AggregateApplied")]
public sealed record AggregateApplied(
    [property: Id(0)] string TrackingId,
    [property: Id(1)] bool Opened);
