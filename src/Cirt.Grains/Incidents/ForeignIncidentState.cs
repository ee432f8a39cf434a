namespace Cirt.Grains.Incidents;

/// <summary>Persistent state of a foreign incident's grain: our tracking id for it, once taken.</summary>
[GenerateSerializer]
[Alias("cirt.ForeignIncidentState")]
public sealed class ForeignIncidentState
{
    [Id(0)]
    public string? TrackingId { get; set; }
}
