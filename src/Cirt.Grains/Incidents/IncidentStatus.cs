namespace Cirt.Grains.Incidents;

/// <summary>Where an incident is in its lifecycle.</summary>
public enum IncidentStatus
{
    Reported = 1,
    Triaged = 2,
    Responding = 3,
    Recovering = 4,
    Resolved = 5,
    Closed = 6,
    Rejected = 7,
    Duplicate = 8,
}
