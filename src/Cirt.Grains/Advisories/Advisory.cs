using Cirt.Grains.Partners;

namespace Cirt.Grains.Advisories;

/// <summary>
/// An advisory as stored. <see cref="Recipients"/> are the organisations it is addressed to now, and
/// only they get its content; <see cref="FormerRecipients"/> were taken off it by an update and keep
/// the version they last received, one of <see cref="Editions"/>.
/// </summary>
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
    [property: Id(11)] AdvisoryRecipient[] Recipients,
    [property: Id(12)] AdvisoryFormerRecipient[] FormerRecipients,
    [property: Id(13)] AdvisoryEdition[] Editions)
{
    /// <summary>
    /// Set on an advisory a partner CIRT shared with us (null for our own): where it comes from, the
    /// origin's version we hold, and the route it took. Only the origin changes its content or
    /// withdraws it; our coordinators choose its local targets and whether it is published here.
    /// </summary>
    [Id(14)]
    public ItemOrigin? Origin { get; init; }

    /// <summary>When its origin published it (received advisories only).</summary>
    [Id(15)]
    public DateTimeOffset? OriginPublishedAt { get; init; }

    /// <summary>Per partner it was shared with, the latest message queued for it (or why none was).</summary>
    [Id(16)]
    public ShareOutcome[] PartnerShares { get; init; } = [];

    /// <summary>Messages still owed to partners (see <see cref="PendingShare"/>).</summary>
    [Id(17)]
    public PendingShare[] PendingShares { get; init; } = [];

    /// <summary>Delivered, not acknowledged, and older than <paramref name="chaseAfter"/>.</summary>
    public bool IsOverdue(AdvisoryRecipient recipient, DateTimeOffset now, TimeSpan chaseAfter) =>
        Status == AdvisoryStatus.Published && recipient.AcknowledgedAt is null && now - recipient.DeliveredAt >= chaseAfter;

    /// <summary>
    /// The same advisory with every list present: advisories stored before former recipients were
    /// kept, or before advisories were shared with partners, read back without those lists.
    /// </summary>
    public Advisory WithListsPresent() =>
        FormerRecipients is not null && Editions is not null && PartnerShares is not null && PendingShares is not null
        && Content.PartnerRecipients is not null && Editions.All(e => e.Content.PartnerRecipients is not null)
            ? this
            : this with
            {
                Content = Content.WithListsPresent(),
                FormerRecipients = FormerRecipients ?? [],
                Editions = (Editions ?? []).Select(e => e with { Content = e.Content.WithListsPresent() }).ToArray(),
                PartnerShares = PartnerShares ?? [],
                PendingShares = PendingShares ?? [],
            };
}
