namespace Cirt.Grains.Sectors;

/// <summary>Persistent state of a sector grain; Definition is null until the sector is created.</summary>
[GenerateSerializer]
[Alias("cirt.SectorState")]
public sealed class SectorState
{
    [Id(0)]
    public SectorDefinition? Definition { get; set; }

    [Id(1)]
    public SortedSet<string> StakeholderIds { get; set; } = new(StringComparer.Ordinal);

    [Id(2)]
    public long Version { get; set; }

    [Id(3)]
    public DateTimeOffset UpdatedAt { get; set; }

    [Id(4)]
    public string UpdatedBy { get; set; } = "";

    [Id(5)]
    public ManualAlert? ManualAlert { get; set; }
}
