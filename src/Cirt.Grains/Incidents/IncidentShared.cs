using Cirt.Grains.Partners;

namespace Cirt.Grains.Incidents;

/// <summary>An incident after sharing it with a partner, and the message the outbox holds for that partner.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.IncidentShared")]
public sealed record IncidentShared(
    [property: Id(0)] Incident Incident,
    [property: Id(1)] ShareOutcome Outcome);
