using Cirt.Grains.Security;

namespace Cirt.Grains.Ingest.Feeds;

/// <summary>
/// The feeds that may publish automated events, and the keys granted each (one grain, key
/// <see cref="Key"/>: feeds are few and the ingest path reads them all at once).
/// Each change returns the feed as stored; refusals are <see cref="Common.CirtException"/>s from <see cref="FeedRules"/>.
/// </summary>
public interface IFeedRegistryGrain : IGrainWithStringKey
{
    public const string Key = "feeds";

    Task<Feed[]> ListAsync();

    Task<Feed?> GetAsync(string name);

    Task<Feed> RegisterAsync(string name, FeedSettings settings, string actor);

    Task<Feed> UpdateAsync(string name, FeedSettings settings, long expectedVersion, string actor);

    /// <summary>Grants <paramref name="key"/> (the principal of an active key) the feed.</summary>
    Task<Feed> GrantAsync(string name, Principal key, string actor);

    Task<Feed> RevokeAsync(string name, string keyId, string actor);

    Task<Feed> SuspendAsync(string name, string reason, string actor);

    Task<Feed> ResumeAsync(string name, string actor);
}
