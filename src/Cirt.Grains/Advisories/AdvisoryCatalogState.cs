namespace Cirt.Grains.Advisories;

[GenerateSerializer]
[Alias("cirt.AdvisoryCatalogState")]
public sealed class AdvisoryCatalogState
{
    [Id(0)]
    public List<string> Ids { get; set; } = [];

    [Id(1)]
    public Dictionary<int, int> LastNumberByYear { get; set; } = [];
}
