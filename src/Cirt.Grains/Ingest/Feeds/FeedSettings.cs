namespace Cirt.Grains.Ingest.Feeds;

/// <summary>What a coordinator sets on a feed, at registration and on update.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.FeedSettings")]
public sealed record FeedSettings(
    [property: Id(0)] string OwnerStakeholderId,
    [property: Id(1)] FeedTrust Trust,
    [property: Id(2)] string[] WidenedStakeholderIds,
    [property: Id(3)] string Description,
    [property: Id(4)] int QuotaPerMinute)
{
    /// <summary>
    /// The severity its events carry when they name none; unspecified: the RSIT table decides
    /// (<see cref="Taxonomy.AutomatedSeverity"/>). Stamped on each event when it is accepted.
    /// </summary>
    [Id(5)] public Incidents.Severity Severity { get; init; }
}
