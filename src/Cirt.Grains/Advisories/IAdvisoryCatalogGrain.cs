namespace Cirt.Grains.Advisories;

/// <summary>
/// Every advisory id, in creation order (advisories are few: tens to hundreds a year), and which of
/// them partner CIRTs shared with us, by their origin's instance and id.
/// </summary>
public interface IAdvisoryCatalogGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>Allocates the next id of <paramref name="year"/> and records it.</summary>
    Task<string> NextIdAsync(int year);

    Task<string[]> ListAsync();

    /// <summary>
    /// The local id of the advisory <paramref name="originItemId"/> of partner instance
    /// <paramref name="originInstanceId"/>: the one given the first time (whichever route it came by),
    /// or the next id of <paramref name="year"/> when it is new here.
    /// </summary>
    Task<string> ReceivedIdAsync(string originInstanceId, string originItemId, int year);

    /// <summary>The ids of the advisories partners shared with us, in the order they first arrived.</summary>
    Task<string[]> ListReceivedAsync();
}
