namespace Cirt.Grains.Incidents;

/// <summary>TLP 2.0 labels as written by people and in STIX.</summary>
public static class TlpLabels
{
    public static string Of(Tlp tlp) => tlp switch
    {
        Tlp.Clear => "CLEAR",
        Tlp.Green => "GREEN",
        Tlp.Amber => "AMBER",
        Tlp.AmberStrict => "AMBER+STRICT",
        Tlp.Red => "RED",
        _ => throw new ArgumentOutOfRangeException(nameof(tlp), tlp, "Not a TLP 2.0 label."),
    };
}
