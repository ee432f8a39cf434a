namespace Cirt.Grains.Advisories;

[GenerateSerializer]
[Alias("cirt.AdvisoryState")]
public sealed class AdvisoryState
{
    [Id(0)]
    public Advisory? Advisory { get; set; }
}
