namespace Cirt.Grains.Incidents;

/// <summary>The deadlines that run on incidents: the NIS2 Article 23 reporting stages and the CIRT's own triage SLA.</summary>
public enum DeadlineKind
{
    Nis2EarlyWarning = 1,
    Nis2Notification = 2,
    Nis2FinalReport = 3,

    /// <summary>The CIRT triages a reported incident within a time that depends on its reported severity.</summary>
    Triage = 4,
}
