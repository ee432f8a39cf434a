namespace Cirt.Grains.Incidents;

/// <summary>The deadlines that run on incidents: the NIS2 Article 23 reporting stages and the CIRT's own triage SLA.</summary>
public enum DeadlineKind
{
    /// <summary>Early warning, 24 hours after becoming aware (NIS2 Art. 23(4)(a)); met by the initial report.</summary>
    Nis2EarlyWarning = 1,

    /// <summary>Incident notification, 72 hours after becoming aware; 24 hours for a trust service provider's trust services (Art. 23(4)(b)).</summary>
    Nis2Notification = 2,

    /// <summary>Final report, one month after the notification (Art. 23(4)(d)), or one month after handling (Art. 23(4)(e)).</summary>
    Nis2FinalReport = 3,

    /// <summary>The CIRT triages a reported incident within a time that depends on its reported severity.</summary>
    Triage = 4,

    /// <summary>Intermediate report, due when the CIRT asked for it (Art. 23(4)(c)).</summary>
    Nis2IntermediateReport = 5,

    /// <summary>Progress report, due instead of the final report while the incident is still being handled (Art. 23(4)(e)).</summary>
    Nis2ProgressReport = 6,
}
