using Cirt.Grains.Incidents;

namespace Cirt.Grains.Advisories;

/// <summary>A vulnerability an advisory is about, with its CVSS base score and the band it falls in.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AffectedCve")]
public sealed record AffectedCve(
    [property: Id(0)] string CveId,
    [property: Id(1)] double CvssScore)
{
    /// <summary>The CVSS qualitative band (v3.1 and v4.0 alike).</summary>
    public Severity Band => CvssBands.Of(CvssScore);
}
