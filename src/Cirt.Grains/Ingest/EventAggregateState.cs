namespace Cirt.Grains.Ingest;

[GenerateSerializer]
[Alias("cirt.EventAggregateState")]
public sealed class EventAggregateState
{
    [Id(0)]
    public string? TrackingId { get; set; }
}
