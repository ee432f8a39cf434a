namespace Cirt.Grains.Ingest.Feeds;

/// <summary>
/// The feed registry as the ingest path reads it: an immutable snapshot, rebuilt whenever the
/// registry changes, so that checking an event costs a dictionary look-up and no grain call.
/// </summary>
public sealed class FeedPermits
{
    private readonly Dictionary<string, FeedPermit> _feeds;

    public FeedPermits(IEnumerable<Feed> feeds)
    {
        _feeds = feeds.ToDictionary(f => f.Name, f => new FeedPermit(f), StringComparer.Ordinal);
    }

    public int Count => _feeds.Count;

    public bool IsRegistered(string feed) => _feeds.ContainsKey(feed);

    /// <summary>
    /// The permit for events of <paramref name="feed"/> sent with key <paramref name="keyId"/>, or
    /// why they are refused (the feed is unknown, not granted to the key, or suspended).
    /// </summary>
    public FeedPermit? Permit(string feed, string keyId, out string? refusal)
    {
        if (!_feeds.TryGetValue(feed, out var permit))
        {
            refusal = $"'{Common.Echo.Of(feed)}' is not a registered feed; a coordinator registers it and grants it to the keys that publish it (cirt feeds register, cirt feeds grant)";
            return null;
        }

        if (!permit.IsGrantedTo(keyId))
        {
            refusal = $"feed '{permit.Name}' is not granted to this key ({keyId}); a coordinator grants it (cirt feeds grant)";
            return null;
        }

        if (permit.Suspended)
        {
            refusal = $"feed '{permit.Name}' is suspended: {permit.SuspendedReason}";
            return null;
        }

        refusal = null;
        return permit;
    }
}
