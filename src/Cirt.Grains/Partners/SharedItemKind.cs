namespace Cirt.Grains.Partners;

/// <summary>What kind of item travels between CIRTs.</summary>
public enum SharedItemKind
{
    Advisory = 1,
    Incident = 2,
}
