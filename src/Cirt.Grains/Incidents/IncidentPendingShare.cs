using Cirt.Grains.Partners;

namespace Cirt.Grains.Incidents;

/// <summary>
/// A message an incident still owes a partner: stored in the same write as the change that calls for
/// it, and cleared once the outbox has taken it (<see cref="IShareQueue"/>). If the process dies in
/// between, the mark is still there and the message is queued then (the outbox takes it once).
/// </summary>
/// <param name="Actor">Who made the change, as the outbox records it.</param>
/// <param name="Sequence">For a note or a status change: its timeline entry.</param>
/// <param name="Status">For a status change: the status it moved to.</param>
/// <param name="Version">For a note or a status change: the incident's version it was made in.</param>
[GenerateSerializer, Immutable]
[Alias("cirt.IncidentPendingShare")]
public sealed record IncidentPendingShare(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] ShareAction Action,
    [property: Id(2)] string Actor,
    [property: Id(3)] int Sequence = 0,
    [property: Id(4)] IncidentStatus? Status = null,
    [property: Id(5)] long Version = 0);
