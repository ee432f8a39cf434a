namespace Cirt.Grains.Advisories;

public static class AdvisoryCatalog
{
    /// <summary>Every advisory, in creation order (one read per advisory: advisories are few).</summary>
    public static async Task<Advisory[]> AllAsync(this IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key).ListAsync();
        return (await Task.WhenAll(ids.Select(id => grains.GetGrain<IAdvisoryGrain>(id).GetAsync()))).OfType<Advisory>().ToArray();
    }
}
