using Cirt.Grains.Incidents;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>
/// Some fields of an incident as stored before incidents were shared with partners (same [Id]s as
/// <see cref="Incident"/>, none of 43 and after): its bytes are those of such a stored incident.
/// </summary>
[GenerateSerializer]
[Alias("cirt.test.IncidentBeforeSharing")]
public sealed record IncidentBeforeSharing(
    [property: Id(0)] string TrackingId,
    [property: Id(2)] string Title,
    [property: Id(12)] Tlp Tlp,
    [property: Id(13)] IncidentStatus Status,
    [property: Id(24)] long Version,
    [property: Id(25)] TimelineEntry[] Timeline);
