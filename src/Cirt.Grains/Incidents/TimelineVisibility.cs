namespace Cirt.Grains.Incidents;

/// <summary>Who reads a timeline entry besides CIRT staff (<see cref="IncidentDisclosure"/>).</summary>
public enum TimelineVisibility
{
    /// <summary>Recorded before entries carried a visibility: shared, as every entry was then (referrals aside).</summary>
    Unspecified = 0,

    /// <summary>CIRT staff only: internal notes, referrals to law enforcement.</summary>
    Internal = 1,

    /// <summary>Also the organisations that see the incident: its reporter and the stakeholders it affects, as its TLP allows.</summary>
    Shared = 2,
}
