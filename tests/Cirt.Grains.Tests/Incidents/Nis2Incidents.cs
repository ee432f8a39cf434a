using Cirt.Grains.Incidents;
using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>
/// A significant incident of an essential entity on a fixed calendar, for the NIS2 rules: aware on
/// 2 March 2026 08:30 UTC, reported five hours later, notified on 4 March 10:00, so that its final
/// report falls due on 4 April 10:00 (F).
/// </summary>
public static class Nis2Incidents
{
    public static readonly DateTimeOffset AwareAt = new(2026, 3, 2, 8, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ReportedAt = AwareAt.AddHours(5);
    public static readonly DateTimeOffset NotifiedAt = new(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);

    /// <summary>F: one month after the notification.</summary>
    public static readonly DateTimeOffset FinalReportDue = new(2026, 4, 4, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The deadlines once the notification arrived: early warning and notification met, final report due at F.</summary>
    public static Deadline[] Notified() => Nis2Clock.OnNotificationReceived(Nis2Clock.Start(AwareAt, ReportedAt), NotifiedAt);

    /// <summary>The incident in <paramref name="status"/> with <paramref name="deadlines"/> and the NIS2 reports received.</summary>
    public static Incident In(IncidentStatus status, Deadline[] deadlines, params Nis2Report[] reports) => new()
    {
        TrackingId = "CIRT-2026-000042",
        RequestId = "report-1",
        Title = "Substation HMI encrypted",
        Description = "Ransom note on the engineering workstation.",
        ReporterStakeholderId = "gridco",
        ReporterContact = ReporterContact.None,
        ReporterEntityClass = Nis2EntityClass.Essential,
        AffectedStakeholderIds = ["gridco"],
        SectorCodes = ["ENERGY"],
        Tlp = Tlp.Amber,
        Status = status,
        Observables = [],
        Deadlines = deadlines,
        Significant = true,
        AwareAt = AwareAt,
        ReportedAt = ReportedAt,
        UpdatedAt = ReportedAt,
        Version = 1,
        Timeline = [],
        Nis2Reports = reports,
    };

    /// <summary>A report of <paramref name="stage"/> received at <paramref name="at"/>.</summary>
    public static Nis2Report Report(DeadlineKind stage, DateTimeOffset at) => new(stage, Guid.NewGuid().ToString("N"), at, "reporter:gridco-soc", "status update");

    public static Deadline Of(Deadline[] deadlines, DeadlineKind kind) => Assert.Single(deadlines, d => d.Kind == kind);
}
