namespace Cirt.Grains.Incidents;

[GenerateSerializer]
[Alias("cirt.TrackingNumberState")]
public sealed class TrackingNumberState
{
    [Id(0)]
    public long Last { get; set; }
}
