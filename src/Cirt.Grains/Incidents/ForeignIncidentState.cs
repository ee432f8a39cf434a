namespace Cirt.Grains.Incidents;

/// <summary>Persistent state of a foreign incident's grain: our tracking id for it, once taken, and what arrived before it.</summary>
[GenerateSerializer]
[Alias("cirt.ForeignIncidentState")]
public sealed class ForeignIncidentState
{
    [Id(0)]
    public string? TrackingId { get; set; }

    /// <summary>The incident is open here: what arrives about it goes straight to it.</summary>
    [Id(2)]
    public bool Opened { get; set; }

    /// <summary>Notes and status changes that arrived before the incident did, oldest first (empty once it is open).</summary>
    [Id(1)]
    public List<IncidentFollowUp> Early { get; set; } = [];
}
