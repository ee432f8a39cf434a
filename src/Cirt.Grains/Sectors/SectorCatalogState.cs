namespace Cirt.Grains.Sectors;

[GenerateSerializer]
[Alias("cirt.SectorCatalogState")]
public sealed class SectorCatalogState
{
    [Id(0)]
    public SortedSet<string> Codes { get; set; } = new(StringComparer.Ordinal);
}
