namespace Cirt.Grains.Partners;

/// <summary>What sharing one item with one partner came to.</summary>
/// <param name="MessageId">The message queued (or held); empty when the agreement refused the item.</param>
/// <param name="RefusedReason">Why nothing was queued, in words a coordinator understands; empty otherwise.</param>
[GenerateSerializer, Immutable]
[Alias("cirt.ShareOutcome")]
public sealed record ShareOutcome(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string MessageId,
    [property: Id(2)] OutboxState? State,
    [property: Id(3)] long ItemVersion,
    [property: Id(4)] string RefusedReason);
