namespace Cirt.Grains.Incidents;

/// <summary>Traffic Light Protocol 2.0 labels, from least to most restrictive.</summary>
public enum Tlp
{
    Clear = 1,
    Green = 2,
    Amber = 3,
    AmberStrict = 4,
    Red = 5,
}
