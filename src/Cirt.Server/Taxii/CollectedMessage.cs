namespace Cirt.Server.Taxii;

/// <summary>One sendable outbox message to a partner, as STIX: what it adds to the partner's collection.</summary>
/// <param name="MessageId">The outbox message id.</param>
/// <param name="SendableAt">When it became sendable: queued, or approved after it was held.</param>
/// <param name="Item">The item it carries, e.g. "advisory cirt-fr/ADV-2026-0007".</param>
/// <param name="ItemVersion">The item's version at its origin: an older one arriving later changes nothing that is live.</param>
/// <param name="Withdraws">It recalls the item: whatever the item carried is revoked.</param>
/// <param name="Objects">The STIX objects of the item as it now stands; none for a withdrawal.</param>
public sealed record CollectedMessage(
    string MessageId,
    DateTimeOffset SendableAt,
    string Item,
    long ItemVersion,
    bool Withdraws,
    IReadOnlyList<StixObjectVersion> Objects);
