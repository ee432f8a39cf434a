namespace Cirt.Grains.Advisories;

/// <summary>Every advisory id, in creation order (advisories are few: tens to hundreds a year).</summary>
public interface IAdvisoryCatalogGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>Allocates the next id of <paramref name="year"/> and records it.</summary>
    Task<string> NextIdAsync(int year);

    Task<string[]> ListAsync();
}
