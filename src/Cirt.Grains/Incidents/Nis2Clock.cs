using Cirt.Grains.Common;
using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Incidents;

/// <summary>
/// NIS2 Article 23 reporting deadlines for a significant incident of an essential or important
/// entity (Directive (EU) 2022/2555, Art. 23(4)):
/// <list type="bullet">
/// <item>(a) early warning within 24 hours of becoming aware (the initial report is the early warning);</item>
/// <item>(b) incident notification within 72 hours of becoming aware; within 24 hours for a trust
/// service provider reporting an incident that affects its trust services;</item>
/// <item>(c) an intermediate report when the CIRT requests one, by the time it sets;</item>
/// <item>(d) a final report no later than one month after the incident notification;</item>
/// <item>(e) if the incident is still being handled then, a progress report at that time and the
/// final report one month after the handling (see <see cref="Nis2FinalReportRule"/>).</item>
/// </list>
/// Plain rules over an incident's deadlines: no Orleans, no protobuf.
/// </summary>
public static class Nis2Clock
{
    public static readonly TimeSpan EarlyWarningWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan NotificationWindow = TimeSpan.FromHours(72);

    /// <summary>The notification window of a trust service provider for an incident affecting its trust services (Art. 23(4)(b)).</summary>
    public static readonly TimeSpan TrustServiceNotificationWindow = TimeSpan.FromHours(24);

    /// <summary>How far ahead the CIRT may set an intermediate report's due time (a typo guard: about a quarter).</summary>
    public static readonly TimeSpan IntermediateReportHorizon = TimeSpan.FromDays(92);

    /// <summary>Whether the NIS2 reporting obligations apply to an incident.</summary>
    public static bool Applies(Nis2EntityClass entityClass, bool significant) =>
        significant && entityClass is Nis2EntityClass.Essential or Nis2EntityClass.Important;

    /// <summary>The deadlines that start when a significant incident is reported, with the usual 72-hour notification.</summary>
    public static Deadline[] Start(DateTimeOffset awareAt, DateTimeOffset reportedAt) =>
        Start(awareAt, reportedAt, trustServiceProvider: false, affectsTrustServices: false);

    /// <summary>
    /// The deadlines that start when a significant incident is reported. The initial report is the
    /// early warning, so that stage is met at <paramref name="reportedAt"/> (late if past 24 hours).
    /// The notification is due 24 hours after becoming aware when a trust service provider reports
    /// an incident affecting its trust services (Art. 23(4)(b)), 72 hours otherwise. Until the
    /// notification arrives, the final report is due one month after the notification's own
    /// deadline; <see cref="OnNotificationReceived"/> moves it.
    /// </summary>
    public static Deadline[] Start(DateTimeOffset awareAt, DateTimeOffset reportedAt, bool trustServiceProvider, bool affectsTrustServices)
    {
        var (window, basis) = Notification(trustServiceProvider, affectsTrustServices);
        var notificationDue = awareAt + window;
        return
        [
            new Deadline(DeadlineKind.Nis2EarlyWarning, awareAt + EarlyWarningWindow, reportedAt, "24 h after becoming aware"),
            new Deadline(DeadlineKind.Nis2Notification, notificationDue, null, basis),
            new Deadline(DeadlineKind.Nis2FinalReport, FinalReportDue(notificationDue), null,
                "one month after the incident notification (provisional: counted from the notification deadline until it arrives)"),
        ];
    }

    /// <summary>
    /// The notification window and how it was chosen (Art. 23(4)(b)): 24 hours only when the reporter
    /// is registered as a trust service provider and says the incident affects its trust services.
    /// The basis starts with the window ("24 h", "72 h"), which is how people read it.
    /// </summary>
    public static (TimeSpan Window, string Basis) Notification(bool trustServiceProvider, bool affectsTrustServices) =>
        (trustServiceProvider, affectsTrustServices) switch
        {
            (true, true) => (TrustServiceNotificationWindow,
                "24 h after becoming aware: a trust service provider's trust services are affected (NIS2 Art. 23(4)(b))"),
            (false, true) => (NotificationWindow,
                "72 h after becoming aware (trust services reported affected, but the reporter is not registered as a trust service provider)"),
            _ => (NotificationWindow, "72 h after becoming aware"),
        };

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

        // Once the final report gave way to a progress report (a notification over a month late),
        // the final report's time comes from the handling, not from the notification.
        var finalFollowsNotification = !Nis2FinalReportRule.HasProgressReport(deadlines);
        return deadlines.Select(d => d.Kind switch
        {
            DeadlineKind.Nis2Notification => d with { MetAt = receivedAt },
            DeadlineKind.Nis2FinalReport when d.MetAt is null && finalFollowsNotification => d with
            {
                DueAt = FinalReportDue(receivedAt),
                Basis = "one month after the incident notification",
            },
            _ => d,
        }).ToArray();
    }

    /// <summary>
    /// Records a NIS2 report of <paramref name="stage"/> received at <paramref name="receivedAt"/>:
    /// the stage's deadline is met (the first report counts; later ones are updates), a
    /// notification starts the final report's month, and a final report received while it has no
    /// due time yet is recorded as met on arrival.
    /// </summary>
    public static Deadline[] OnReportReceived(Deadline[] deadlines, DeadlineKind stage, DateTimeOffset receivedAt) => stage switch
    {
        DeadlineKind.Nis2Notification => OnNotificationReceived(deadlines, receivedAt),
        DeadlineKind.Nis2FinalReport when !deadlines.Any(d => d.Kind == stage) => Nis2FinalReportRule.OnFinalReportWithoutDueTime(deadlines, receivedAt),
        _ => deadlines.Select(d => d.Kind == stage && d.MetAt is null ? d with { MetAt = receivedAt } : d).ToArray(),
    };

    /// <summary>
    /// Why a report of <paramref name="stage"/> cannot be accepted yet, or null: the final report and
    /// the progress report that may stand in for it follow the incident notification.
    /// </summary>
    public static string? RefuseReport(Deadline[] deadlines, DeadlineKind stage, string trackingId) =>
        stage is DeadlineKind.Nis2FinalReport or DeadlineKind.Nis2ProgressReport
        && deadlines.Any(d => d.Kind == DeadlineKind.Nis2Notification && d.MetAt is null)
            ? $"The {NameOf(stage)} of {trackingId} follows the incident notification, which has not been received yet: submit the notification first."
            : null;

    /// <summary>
    /// Records a NIS2 report of <paramref name="stage"/> against <paramref name="incident"/> at
    /// <paramref name="receivedAt"/>: the clock is first brought up to that time (a final report
    /// overdue while the incident is being handled has become a progress report), then the report
    /// meets its deadline. The note says so for the timeline: on time, late, an update, or not due.
    /// </summary>
    public static Nis2Step Receive(Incident incident, DeadlineKind stage, DateTimeOffset receivedAt)
    {
        var advanced = Advance(incident, receivedAt);
        var before = advanced.Deadlines.FirstOrDefault(d => d.Kind == stage);
        var deadlines = OnReportReceived(advanced.Deadlines, stage, receivedAt);
        var after = deadlines.FirstOrDefault(d => d.Kind == stage);
        var name = NameOf(stage);
        string summary;
        if (before?.MetAt is not null)
        {
            summary = $"Update to the {name} received";
        }
        else if (after is null)
        {
            summary = stage switch
            {
                DeadlineKind.Nis2IntermediateReport => "NIS2 intermediate report received (none was requested)",
                DeadlineKind.Nis2ProgressReport when deadlines.FirstOrDefault(d => d.Kind == DeadlineKind.Nis2FinalReport) is { MetAt: null } final
                                                     && receivedAt <= final.DueAt =>
                    $"NIS2 progress report received; it stands for the final report if the incident is still being handled when that falls due ({Words.Time(final.DueAt)})",
                DeadlineKind.Nis2ProgressReport => "NIS2 progress report received (none is due)",
                _ => $"NIS2 {name} received",
            };
        }
        else if (before is null)
        {
            summary = $"NIS2 {name} received before the incident was handled: the reporting is complete";
        }
        else
        {
            summary = $"NIS2 {name} received" + (after.StatusAt(receivedAt) == DeadlineStatus.MetLate
                ? $", late (due {Words.Time(after.DueAt)})"
                : $", on time (due {Words.Time(after.DueAt)})");
            if (stage == DeadlineKind.Nis2Notification && deadlines.FirstOrDefault(d => d.Kind == DeadlineKind.Nis2FinalReport) is { MetAt: null } final)
            {
                summary += $"; final report now due {Words.Time(final.DueAt)}";
            }
        }

        return new Nis2Step(deadlines, advanced.NoteWith(summary));
    }

    /// <summary>
    /// Why the CIRT cannot request an intermediate report on <paramref name="incident"/>, or null:
    /// the incident must have NIS2 obligations and still be open to reporting (not rejected, a
    /// duplicate, or closed).
    /// </summary>
    public static string? RefuseIntermediateReportRequest(Incident incident)
    {
        if (!incident.Deadlines.Any(d => IsStage(d.Kind)))
        {
            return $"Incident {incident.TrackingId} has no NIS2 reporting obligations: it was not reported as a significant incident of an essential or important entity.";
        }

        return incident.Status is IncidentStatus.Rejected or IncidentStatus.Duplicate or IncidentStatus.Closed
            ? $"Incident {incident.TrackingId} is {Words.Of(incident.Status)}: no more NIS2 reports are requested on it."
            : null;
    }

    /// <summary>
    /// The CIRT requests an intermediate report (Art. 23(4)(c)) due at <paramref name="dueAt"/>:
    /// one deadline of that kind, the latest request, which replaces an earlier one whether it was
    /// met or not (the timeline keeps every request, the reports keep every answer).
    /// </summary>
    public static Nis2Step RequestIntermediateReport(Deadline[] deadlines, DateTimeOffset dueAt, string reason, DateTimeOffset requestedAt)
    {
        var earlier = deadlines.FirstOrDefault(d => d.Kind == DeadlineKind.Nis2IntermediateReport);
        var requested = new Deadline(DeadlineKind.Nis2IntermediateReport, dueAt, null, $"requested by the CIRT on {Words.Time(requestedAt)} (NIS2 Art. 23(4)(c))");
        var note = $"NIS2 intermediate report requested, due {Words.Time(dueAt)}"
                   + (earlier is { MetAt: null } ? $" (replaces the request due {Words.Time(earlier.DueAt)}, not answered)" : "")
                   + ": " + reason;
        return new Nis2Step([.. deadlines.Where(d => d.Kind != DeadlineKind.Nis2IntermediateReport), requested], note);
    }

    /// <summary>
    /// The periodic look at an incident's deadlines at <paramref name="now"/>: the NIS2 clock is
    /// brought up to now (Art. 23(4)(e)), then every deadline overdue and not yet escalated is
    /// escalated.
    /// </summary>
    public static Nis2Check Check(Incident incident, DateTimeOffset now)
    {
        var advanced = Advance(incident, now);
        var deadlines = Escalate(advanced.Deadlines, now, out var escalated);
        // Recording that the incident was handled when the final report fell due changes only a
        // basis: it is saved with the escalation that comes with it, and until then every later step
        // decides the same, since a change of status first advances the clock with the status it leaves.
        return new Nis2Check(deadlines, escalated, advanced.Note, escalated.Length > 0 || advanced.Note.Length > 0);
    }

    /// <summary>
    /// The deadlines after <paramref name="incident"/> moves to <paramref name="target"/> at
    /// <paramref name="at"/> (Art. 23(4)(e): the end of the handling starts the final report's month).
    /// </summary>
    public static Nis2Step OnStatusChanged(Incident incident, IncidentStatus target, DateTimeOffset at) =>
        Nis2FinalReportRule.OnStatusChanged(incident.Deadlines, incident.Status, target, at, FirstProgressReport(incident));

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
        kind is DeadlineKind.Nis2EarlyWarning or DeadlineKind.Nis2Notification or DeadlineKind.Nis2FinalReport
            or DeadlineKind.Nis2IntermediateReport or DeadlineKind.Nis2ProgressReport;

    /// <summary>Whether a deadline still needs watching: neither met nor already escalated.</summary>
    public static bool NeedsWatching(Deadline deadline) => deadline.MetAt is null && deadline.EscalatedAt is null;

    /// <summary>A stage's name as people say it.</summary>
    public static string NameOf(DeadlineKind stage) => stage switch
    {
        DeadlineKind.Nis2EarlyWarning => "early warning",
        DeadlineKind.Nis2Notification => "incident notification",
        DeadlineKind.Nis2IntermediateReport => "intermediate report",
        DeadlineKind.Nis2ProgressReport => "progress report",
        DeadlineKind.Nis2FinalReport => "final report",
        DeadlineKind.Triage => "triage",
        _ => stage.ToString(),
    };

    /// <summary>One calendar month after <paramref name="notifiedAt"/> (31 January gives the last day of February).</summary>
    public static DateTimeOffset FinalReportDue(DateTimeOffset notifiedAt) => notifiedAt.AddMonths(1);

    private static Nis2Step Advance(Incident incident, DateTimeOffset now) =>
        Nis2FinalReportRule.Advance(incident.Deadlines, Nis2FinalReportRule.IsHandled(incident.Status), FirstProgressReport(incident), now);

    /// <summary>When the first progress report arrived, if one did (it can only follow the notification).</summary>
    private static DateTimeOffset? FirstProgressReport(Incident incident) =>
        incident.Nis2Reports.Where(r => r.Stage == DeadlineKind.Nis2ProgressReport).Select(r => (DateTimeOffset?)r.ReceivedAt).Min();
}
