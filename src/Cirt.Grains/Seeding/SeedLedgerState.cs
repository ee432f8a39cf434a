namespace Cirt.Grains.Seeding;

[GenerateSerializer]
[Alias("cirt.SeedLedgerState")]
public sealed class SeedLedgerState
{
    [Id(0)]
    public HashSet<string> Applied { get; set; } = new(StringComparer.Ordinal);
}
