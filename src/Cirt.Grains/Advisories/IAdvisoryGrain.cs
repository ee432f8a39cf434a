namespace Cirt.Grains.Advisories;

/// <summary>One advisory, keyed by its id (e.g. "ADV-2026-0007").</summary>
public interface IAdvisoryGrain : IGrainWithStringKey
{
    Task<Advisory?> GetAsync();

    Task<Advisory> CreateAsync(AdvisoryContent content, string actor);

    /// <summary>Changes a draft, or a published advisory (new recipients get it at once).</summary>
    Task<Advisory> UpdateAsync(AdvisoryContent content, string[] recipients, long expectedVersion, string actor);

    /// <summary>Publishes a draft to <paramref name="recipients"/> (worked out by the caller from the targets).</summary>
    Task<Advisory> PublishAsync(string[] recipients, long expectedVersion, string actor);

    Task<Advisory> WithdrawAsync(string reason, string actor);

    /// <summary>A recipient acknowledges; acknowledging twice changes nothing.</summary>
    Task<Advisory> AcknowledgeAsync(string stakeholderId, string actor);
}

public static class AdvisoryCatalog
{
    /// <summary>Every advisory, in creation order (one read per advisory: advisories are few).</summary>
    public static async Task<Advisory[]> AllAsync(this IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key).ListAsync();
        return (await Task.WhenAll(ids.Select(id => grains.GetGrain<IAdvisoryGrain>(id).GetAsync()))).OfType<Advisory>().ToArray();
    }
}

/// <summary>Every advisory id, in creation order (advisories are few: tens to hundreds a year).</summary>
public interface IAdvisoryCatalogGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>Allocates the next id of <paramref name="year"/> and records it.</summary>
    Task<string> NextIdAsync(int year);

    Task<string[]> ListAsync();
}
