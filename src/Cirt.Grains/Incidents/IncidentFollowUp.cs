using Cirt.Grains.Partners;

namespace Cirt.Grains.Incidents;

/// <summary>
/// A note or a status change on an incident shared between CIRTs, as it travels either way: from
/// its origin to the partners it is shared with, or from a partner's copy back to the origin.
/// </summary>
/// <param name="Action"><see cref="ShareAction.Note"/> or <see cref="ShareAction.Status"/>.</param>
/// <param name="Id">Its id at its writer (<see cref="IncidentSharing.FollowUpId"/>): a resend carries the same id, and the receiver applies it once.</param>
/// <param name="Author">Who wrote it, at its writer.</param>
/// <param name="Text">The note, or what the status change's timeline entry says.</param>
/// <param name="Status">The status moved to (status changes only).</param>
/// <param name="Version">The writer's version of the incident it was made in (0 for one received).</param>
[GenerateSerializer, Immutable]
[Alias("cirt.IncidentFollowUp")]
public sealed record IncidentFollowUp(
    [property: Id(0)] ShareAction Action,
    [property: Id(1)] string Id,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Author,
    [property: Id(4)] string Text,
    [property: Id(5)] IncidentStatus? Status = null,
    [property: Id(6)] long Version = 0);
