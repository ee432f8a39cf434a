namespace Cirt.Grains.Sectors;

/// <summary>A critical sector with its member stakeholders.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Sector")]
public sealed record Sector(
    [property: Id(0)] string Code,
    [property: Id(1)] SectorDefinition Definition,
    [property: Id(2)] string[] StakeholderIds,
    [property: Id(3)] long Version,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] string UpdatedBy,
    [property: Id(6)] ManualAlert? ManualAlert = null);
