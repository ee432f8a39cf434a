using Cirt.Grains.Partners;

namespace Cirt.Grains.Advisories;

/// <summary>
/// A message an advisory still owes a partner: stored in the same write as the change that calls for
/// it, and cleared once the outbox has taken it (<see cref="IShareQueue"/>). If the process dies in
/// between, the mark is still there and the message is queued then.
/// </summary>
/// <param name="Actor">Who made the change, as the outbox records it.</param>
[GenerateSerializer, Immutable]
[Alias("cirt.PendingShare")]
public sealed record PendingShare(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] ShareAction Action,
    [property: Id(2)] string Actor);
