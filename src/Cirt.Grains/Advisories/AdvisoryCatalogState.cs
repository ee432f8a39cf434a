namespace Cirt.Grains.Advisories;

[GenerateSerializer]
[Alias("cirt.AdvisoryCatalogState")]
public sealed class AdvisoryCatalogState
{
    [Id(0)]
    public List<string> Ids { get; set; } = [];

    [Id(1)]
    public Dictionary<int, int> LastNumberByYear { get; set; } = [];

    /// <summary>Received advisories: "origin instance id/origin item id" to the local id, in arrival order.</summary>
    [Id(2)]
    public List<KeyValuePair<string, string>> Received { get; set; } = [];
}
