namespace Cirt.Grains.Sectors;

/// <summary>The list of sector codes that exist (a few dozen at most); a single grain, key "national".</summary>
public interface ISectorCatalogGrain : IGrainWithStringKey
{
    public const string Key = "national";

    Task AddAsync(string code);

    Task<string[]> ListAsync();
}
