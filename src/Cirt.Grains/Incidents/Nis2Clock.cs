using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Incidents;

/// <summary>
/// NIS2 Article 23 reporting deadlines for a significant incident of an essential or important
/// entity: early warning within 24 hours of becoming aware, incident notification within 72 hours
/// of becoming aware, final report no later than one month after the incident notification.
/// </summary>
public static class Nis2Clock
{
    public static readonly TimeSpan EarlyWarningWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan NotificationWindow = TimeSpan.FromHours(72);

    /// <summary>Whether the NIS2 reporting obligations apply to an incident.</summary>
    public static bool Applies(Nis2EntityClass entityClass, bool significant) =>
        significant && entityClass is Nis2EntityClass.Essential or Nis2EntityClass.Important;

    /// <summary>
    /// The deadlines that start when a significant incident is reported. The initial report is the
    /// early warning, so that stage is met at <paramref name="reportedAt"/> (late if past 24 hours).
    /// Until the notification arrives, the final report is due one month after the notification's
    /// own deadline; <see cref="OnNotificationReceived"/> moves it.
    /// </summary>
    public static Deadline[] Start(DateTimeOffset awareAt, DateTimeOffset reportedAt)
    {
        var notificationDue = awareAt + NotificationWindow;
        return
        [
            new Deadline(DeadlineKind.Nis2EarlyWarning, awareAt + EarlyWarningWindow, reportedAt, "24 h after becoming aware"),
            new Deadline(DeadlineKind.Nis2Notification, notificationDue, null, "72 h after becoming aware"),
            new Deadline(DeadlineKind.Nis2FinalReport, FinalReportDue(notificationDue), null,
                "one month after the incident notification (provisional: counted from the notification deadline until it arrives)"),
        ];
    }

    /// <summary>
    /// Records the incident notification and moves the final report deadline to one month after
    /// it. A second notification changes nothing: the first one started the final report's clock.
    /// </summary>
    public static Deadline[] OnNotificationReceived(Deadline[] deadlines, DateTimeOffset receivedAt)
    {
        if (deadlines.Any(d => d.Kind == DeadlineKind.Nis2Notification && d.MetAt is not null))
        {
            return deadlines;
        }

        return deadlines.Select(d => d.Kind switch
        {
            DeadlineKind.Nis2Notification => d with { MetAt = receivedAt },
            DeadlineKind.Nis2FinalReport when d.MetAt is null => d with
            {
                DueAt = FinalReportDue(receivedAt),
                Basis = "one month after the incident notification",
            },
            _ => d,
        }).ToArray();
    }

    /// <summary>
    /// Records a NIS2 report of <paramref name="stage"/> received at <paramref name="receivedAt"/>:
    /// the stage's deadline is met (the first report counts; later ones are updates), and a
    /// notification starts the final report's month.
    /// </summary>
    public static Deadline[] OnReportReceived(Deadline[] deadlines, DeadlineKind stage, DateTimeOffset receivedAt) => stage switch
    {
        DeadlineKind.Nis2Notification => OnNotificationReceived(deadlines, receivedAt),
        _ => deadlines.Select(d => d.Kind == stage && d.MetAt is null ? d with { MetAt = receivedAt } : d).ToArray(),
    };

    /// <summary>
    /// The deadlines with every stage that is overdue at <paramref name="now"/> and not yet
    /// escalated marked as escalated now; <paramref name="escalated"/> lists those newly marked.
    /// </summary>
    public static Deadline[] Escalate(Deadline[] deadlines, DateTimeOffset now, out Deadline[] escalated)
    {
        var updated = deadlines
            .Select(d => d.StatusAt(now) == DeadlineStatus.Overdue && d.EscalatedAt is null ? d with { EscalatedAt = now } : d)
            .ToArray();
        escalated = updated.Where((d, i) => !ReferenceEquals(d, deadlines[i])).ToArray();
        return updated;
    }

    /// <summary>Whether <paramref name="kind"/> is a NIS2 reporting stage.</summary>
    public static bool IsStage(DeadlineKind kind) =>
        kind is DeadlineKind.Nis2EarlyWarning or DeadlineKind.Nis2Notification or DeadlineKind.Nis2FinalReport;

    /// <summary>Whether a deadline still needs watching: neither met nor already escalated.</summary>
    public static bool NeedsWatching(Deadline deadline) => deadline.MetAt is null && deadline.EscalatedAt is null;

    /// <summary>A stage's name as people say it.</summary>
    public static string NameOf(DeadlineKind stage) => stage switch
    {
        DeadlineKind.Nis2EarlyWarning => "early warning",
        DeadlineKind.Nis2Notification => "incident notification",
        DeadlineKind.Nis2FinalReport => "final report",
        DeadlineKind.Triage => "triage",
        _ => stage.ToString(),
    };

    /// <summary>One calendar month after <paramref name="notifiedAt"/> (31 January gives the last day of February).</summary>
    public static DateTimeOffset FinalReportDue(DateTimeOffset notifiedAt) => notifiedAt.AddMonths(1);
}
