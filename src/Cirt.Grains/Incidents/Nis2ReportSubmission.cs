namespace Cirt.Grains.Incidents;

/// <summary>A NIS2 report an operator (or the CIRT on its behalf) submits against an incident.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Nis2ReportSubmission")]
public sealed record Nis2ReportSubmission(
    [property: Id(0)] string RequestId,
    [property: Id(1)] DeadlineKind Stage,
    [property: Id(2)] string Summary);
