namespace Cirt.Grains.Ingest.Feeds;

/// <summary>
/// One API key's capability to publish a feed's events. <see cref="KeyName"/> is how the key showed
/// when granted ("soc@gridco", or "alice" for staff); <see cref="StakeholderId"/> is the organisation
/// of an operator key, empty for CIRT staff keys.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("cirt.FeedGrant")]
public sealed record FeedGrant(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string KeyName,
    [property: Id(2)] string StakeholderId,
    [property: Id(3)] DateTimeOffset GrantedAt,
    [property: Id(4)] string GrantedBy);
