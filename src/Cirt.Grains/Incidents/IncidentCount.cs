namespace Cirt.Grains.Incidents;

/// <summary>How many incidents the read model holds with one status and severity, exercises apart.</summary>
public sealed record IncidentCount(IncidentStatus Status, Severity Severity, bool Exercise, long Incidents);
