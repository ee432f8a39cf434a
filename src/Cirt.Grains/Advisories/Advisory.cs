namespace Cirt.Grains.Advisories;

/// <summary>An advisory as stored.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Advisory")]
public sealed record Advisory(
    [property: Id(0)] string Id,
    [property: Id(1)] AdvisoryContent Content,
    [property: Id(2)] AdvisoryStatus Status,
    [property: Id(3)] long Version,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] string CreatedBy,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] string UpdatedBy,
    [property: Id(8)] DateTimeOffset? PublishedAt,
    [property: Id(9)] DateTimeOffset? WithdrawnAt,
    [property: Id(10)] string WithdrawReason,
    [property: Id(11)] AdvisoryRecipient[] Recipients)
{
    /// <summary>Delivered, not acknowledged, and older than <paramref name="chaseAfter"/>.</summary>
    public bool IsOverdue(AdvisoryRecipient recipient, DateTimeOffset now, TimeSpan chaseAfter) =>
        Status == AdvisoryStatus.Published && recipient.AcknowledgedAt is null && now - recipient.DeliveredAt >= chaseAfter;
}
