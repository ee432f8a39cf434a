using Cirt.Grains.Partners;

namespace Cirt.Grains.Incidents;

/// <summary>
/// One incident a partner CIRT shared with us, keyed "{origin instance id}/{origin item id}"
/// (<see cref="ForeignIncidentGrain.KeyFor"/>): gives it one tracking id of ours, however often it
/// arrives, and leads what arrives about it to that incident.
/// </summary>
public interface IForeignIncidentGrain : IGrainWithStringKey
{
    /// <summary>Opens the foreign incident (under a new tracking id the first time) or updates it with a newer version.</summary>
    Task<Incident> ReceiveAsync(PartnerIncident shared, ItemOrigin origin);

    /// <summary>
    /// Records a note or status change its origin sent about it. One that arrives before the incident
    /// itself (whose summary may wait at the origin for a coordinator's approval) is kept and recorded
    /// once the incident arrives; null then. FAILED_PRECONDITION past <see cref="ForeignIncidentGrain.MaxEarly"/> such.
    /// </summary>
    Task<Incident?> ReceiveFollowUpAsync(IncidentFollowUp followUp);

    /// <summary>Our tracking id for it, or null when it never arrived.</summary>
    Task<string?> GetTrackingIdAsync();
}
