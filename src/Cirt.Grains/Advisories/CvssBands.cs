using Cirt.Grains.Incidents;

namespace Cirt.Grains.Advisories;

/// <summary>CVSS base scores to their qualitative bands: None 0.0, Low 0.1-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0.</summary>
public static class CvssBands
{
    /// <summary>The band of a score in 0.0-10.0 (None maps to Unspecified: there is no severity).</summary>
    public static Severity Of(double score) => score switch
    {
        >= 9.0 => Severity.Critical,
        >= 7.0 => Severity.High,
        >= 4.0 => Severity.Medium,
        >= 0.1 => Severity.Low,
        _ => Severity.Unspecified,
    };
}
