namespace Cirt.Grains.Partners;

/// <summary>Persistent state of a partner grain; null until the partner is registered.</summary>
[GenerateSerializer]
[Alias("cirt.PartnerState")]
public sealed class PartnerState
{
    [Id(0)]
    public Partner? Partner { get; set; }
}
