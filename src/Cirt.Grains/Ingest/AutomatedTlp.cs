using Cirt.Grains.Incidents;

namespace Cirt.Grains.Ingest;

/// <summary>
/// The TLP of an incident opened from automated events: the most restrictive label among its events
/// (RED, then AMBER+STRICT, AMBER, GREEN, CLEAR), so that nothing an event brings travels farther than
/// its sender allowed. An event sent without a label counts as AMBER. A later, more restrictive event
/// raises the incident's label; nothing lowers it by itself.
/// </summary>
public static class AutomatedTlp
{
    /// <summary>The label of an event sent without one.</summary>
    public const Tlp Unlabelled = Tlp.Amber;

    /// <summary>The more restrictive of two labels (<see cref="Tlp"/> runs from least to most restrictive).</summary>
    public static Tlp MostRestrictive(Tlp a, Tlp b) => b > a ? b : a;
}
