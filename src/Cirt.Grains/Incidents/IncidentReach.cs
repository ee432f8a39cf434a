using Cirt.Grains.Common;
using Cirt.Grains.Security;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Which incident a call reaches: one that exists and that the caller may see
/// (<see cref="IncidentAccess"/>). Anything else is not found, in the same words, so that another
/// organisation's incident cannot be told from one that does not exist.
/// </summary>
public static class IncidentReach
{
    /// <summary>The incident, or NOT_FOUND when none has this tracking id.</summary>
    public static Incident Existing(Incident? incident, string trackingId) =>
        incident ?? throw CirtException.NotFound("Incident", trackingId);

    /// <summary>The incident, or NOT_FOUND when none has this tracking id or <paramref name="caller"/> may not see it.</summary>
    public static Incident VisibleTo(Incident? incident, string trackingId, Principal caller) =>
        incident is not null && IncidentAccess.CanSee(caller, incident) ? incident : throw CirtException.NotFound("Incident", trackingId);
}
