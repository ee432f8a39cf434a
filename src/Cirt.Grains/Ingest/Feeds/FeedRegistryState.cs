namespace Cirt.Grains.Ingest.Feeds;

/// <summary>Persistent state of the feed registry: every feed, by name.</summary>
[GenerateSerializer]
[Alias("cirt.FeedRegistryState")]
public sealed class FeedRegistryState
{
    [Id(0)]
    public Dictionary<string, Feed> Feeds { get; set; } = [];
}
