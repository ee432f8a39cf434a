namespace Cirt.Grains.Ingest.Feeds;

/// <summary>A registered feed: who runs it, how far its word goes, and which keys may publish it.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Feed")]
public sealed record Feed
{
    /// <summary>The name events carry in their feed field.</summary>
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public required FeedSettings Settings { get; init; }

    [Id(2)] public bool Suspended { get; init; }

    [Id(3)] public string SuspendedReason { get; init; } = "";

    [Id(4)] public DateTimeOffset? SuspendedAt { get; init; }

    [Id(5)] public string SuspendedBy { get; init; } = "";

    /// <summary>The keys that may publish the feed's events, by key id.</summary>
    [Id(6)] public FeedGrant[] Grants { get; init; } = [];

    [Id(7)] public required long Version { get; init; }

    [Id(8)] public required DateTimeOffset RegisteredAt { get; init; }

    [Id(9)] public required string RegisteredBy { get; init; }

    [Id(10)] public required DateTimeOffset UpdatedAt { get; init; }

    [Id(11)] public required string UpdatedBy { get; init; }
}
