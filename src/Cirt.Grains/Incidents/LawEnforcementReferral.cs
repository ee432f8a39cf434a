namespace Cirt.Grains.Incidents;

/// <summary>The incident was referred to a law-enforcement agency, under that agency's reference.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.LawEnforcementReferral")]
public sealed record LawEnforcementReferral(
    [property: Id(0)] string Agency,
    [property: Id(1)] string Reference,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string By,
    [property: Id(4)] string Note);
