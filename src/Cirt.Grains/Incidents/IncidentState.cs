namespace Cirt.Grains.Incidents;

/// <summary>Persistent state of an incident grain; null until the incident is opened.</summary>
[GenerateSerializer]
[Alias("cirt.IncidentState")]
public sealed class IncidentState
{
    [Id(0)]
    public Incident? Incident { get; set; }

    /// <summary>The last requests that changed the incident (<see cref="Common.RecentRequests"/>), stored with their change.</summary>
    [Id(1)]
    public Common.RecentRequest[] RecentRequests { get; set; } = [];
}
