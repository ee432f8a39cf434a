namespace Cirt.Grains.Incidents;

/// <summary>A NIS2 report (early warning, notification or final report) submitted against an incident.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Nis2Report")]
public sealed record Nis2Report(
    [property: Id(0)] DeadlineKind Stage,
    [property: Id(1)] string RequestId,
    [property: Id(2)] DateTimeOffset ReceivedAt,
    [property: Id(3)] string SubmittedBy,
    [property: Id(4)] string Summary);
