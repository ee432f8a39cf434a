namespace Cirt.Grains.Sectors;

/// <summary>What a coordinator sets for a sector.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.SectorDefinition")]
public sealed record SectorDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] Nis2Annex Annex,
    [property: Id(2)] string[] Subsectors,
    [property: Id(3)] string Description);
