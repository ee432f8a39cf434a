namespace Cirt.Grains.Incidents;

/// <summary>
/// The post-incident review: what happened, why, what worked, what was learnt, and what follows.
/// Required before a high or critical incident is closed; its follow-up actions feed prevention.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("cirt.PostIncidentReview")]
public sealed record PostIncidentReview(
    [property: Id(0)] string WhatHappened,
    [property: Id(1)] string RootCause,
    [property: Id(2)] string WhatWorked,
    [property: Id(3)] string Lessons,
    [property: Id(4)] string[] FollowUpActions,
    [property: Id(5)] DateTimeOffset RecordedAt,
    [property: Id(6)] string RecordedBy)
{
    /// <summary>Whether an incident of <paramref name="severity"/> needs a review before it is closed.</summary>
    public static bool RequiredFor(Severity severity) => severity is Severity.High or Severity.Critical;
}
