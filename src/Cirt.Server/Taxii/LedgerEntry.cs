using Cirt.Grains.Partners;

namespace Cirt.Server.Taxii;

/// <summary>A sendable outbox message as its partner's collection holds it.</summary>
/// <param name="DateAdded">When it entered the collection (microseconds).</param>
/// <param name="QueuedAt">When the item version was put in the outbox (held or queued): the order of an item's versions.</param>
public sealed record LedgerEntry(
    string MessageId,
    DateTimeOffset DateAdded,
    DateTimeOffset QueuedAt,
    SharedItemKind Kind,
    string ItemId,
    long ItemVersion,
    ShareAction Action);
