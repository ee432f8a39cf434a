namespace Cirt.Grains.Ingest;

/// <summary>One feed as published by one API key (<see cref="Producer"/>, the key's principal) into an automated incident, with its events.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AutomatedSource")]
public sealed record AutomatedSource(
    [property: Id(0)] string Feed,
    [property: Id(1)] string Producer,
    [property: Id(2)] long Events);
