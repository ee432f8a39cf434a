namespace Cirt.Grains.Incidents;

[GenerateSerializer]
[Alias("cirt.SubmissionState")]
public sealed class SubmissionState
{
    [Id(0)]
    public string? TrackingId { get; set; }
}
