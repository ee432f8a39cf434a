namespace Cirt.Grains.Incidents;

/// <summary>How serious an incident is; higher values are more severe.</summary>
public enum Severity
{
    Unspecified = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
