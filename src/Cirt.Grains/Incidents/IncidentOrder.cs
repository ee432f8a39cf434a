namespace Cirt.Grains.Incidents;

/// <summary>Order of the incident queue.</summary>
public enum IncidentOrder
{
    NewestFirst = 1,

    /// <summary>The CIRT's severity first; among incidents of the same (or not yet assessed) severity, the reporter's claim; then newest first.</summary>
    MostSevereFirst = 2,
}
