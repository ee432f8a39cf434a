using Cirt.Grains.Incidents;

namespace Cirt.Grains.Security;

/// <summary>
/// TLP 2.0 as a rule: how far from the CIRT information of each label may travel.
/// <list type="bullet">
/// <item>RED: the named recipients only.</item>
/// <item>AMBER+STRICT: the recipient's organisation only (here: the reporting organisation).</item>
/// <item>AMBER: need-to-know within the organisations involved and their clients.</item>
/// <item>GREEN: the community (the national constituency and partners), not public channels.</item>
/// <item>CLEAR: anyone.</item>
/// </list>
/// Incidents, advisories and cross-border sharing all decide with this one class.
/// </summary>
public static class TlpPolicy
{
    /// <summary>The farthest audience that may receive information labelled <paramref name="tlp"/>.</summary>
    public static Audience Reach(Tlp tlp) => tlp switch
    {
        Tlp.Red => Audience.NamedRecipient,
        Tlp.AmberStrict => Audience.ReportingOrganisation,
        Tlp.Amber => Audience.InvolvedOrganisation,
        Tlp.Green => Audience.Community,
        Tlp.Clear => Audience.Anyone,
        _ => throw new ArgumentOutOfRangeException(nameof(tlp), tlp, "Not a TLP 2.0 label."),
    };

    public static bool MayReceive(Tlp tlp, Audience audience) => audience <= Reach(tlp);
}
