namespace Cirt.Grains.Partners;

/// <summary>Persistent state of the partner catalog: every partner id, in order.</summary>
[GenerateSerializer]
[Alias("cirt.PartnerCatalogState")]
public sealed class PartnerCatalogState
{
    [Id(0)]
    public List<string> Ids { get; set; } = [];
}
