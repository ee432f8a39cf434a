using Cirt.Grains.Incidents;

namespace Cirt.Grains.Advisories;

/// <summary>What a coordinator writes: the advisory's content and audience.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AdvisoryContent")]
public sealed record AdvisoryContent(
    [property: Id(0)] string Title,
    [property: Id(1)] string Summary,
    [property: Id(2)] string[] AffectedProducts,
    [property: Id(3)] AffectedCve[] Cves,
    [property: Id(4)] Observable[] Indicators,
    [property: Id(5)] string[] RecommendedActions,
    [property: Id(6)] Tlp Tlp,
    [property: Id(7)] string[] TargetSectors,
    [property: Id(8)] string[] TargetStakeholders,
    [property: Id(9)] string IncidentTrackingId);
