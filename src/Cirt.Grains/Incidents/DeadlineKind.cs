namespace Cirt.Grains.Incidents;

/// <summary>The NIS2 Article 23 reporting stages that carry a deadline.</summary>
public enum DeadlineKind
{
    Nis2EarlyWarning = 1,
    Nis2Notification = 2,
    Nis2FinalReport = 3,
}
