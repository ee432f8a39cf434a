using Cirt.Grains.Common;
using Cirt.Grains.Security;
using static Cirt.Grains.Incidents.IncidentTimeline;

namespace Cirt.Grains.Incidents;

/// <summary>
/// NIS2 Article 23 reports against a significant incident of an essential or important entity, from
/// the organisation that reported it (or the CIRT on its behalf). The deadlines themselves are
/// <see cref="Nis2Clock"/>'s; this class decides whether a report is accepted and what it records.
/// </summary>
public static class IncidentNis2
{
    /// <summary>
    /// The incident with <paramref name="submission"/> recorded: the first report of a stage meets
    /// its deadline, later ones are updates. Idempotent by request id.
    /// </summary>
    public static Incident Submit(Incident current, Nis2ReportSubmission submission, Principal caller, DateTimeOffset now)
    {
        if (!caller.IsCirtStaff && current.ReporterStakeholderId != caller.StakeholderId)
        {
            throw new CirtException(CirtErrorKind.PermissionDenied,
                $"NIS2 reports for {current.TrackingId} come from the organisation that reported it ({current.ReporterStakeholderId}).");
        }

        if (current.Nis2Reports.FirstOrDefault(r => r.RequestId == submission.RequestId) is { } earlier)
        {
            return earlier.Stage == submission.Stage
                ? current
                : throw new CirtException(CirtErrorKind.AlreadyExists,
                    $"Request id '{Echo.Of(submission.RequestId)}' was already used for the {Nis2Clock.NameOf(earlier.Stage)} of {current.TrackingId}.", "request_id");
        }

        RefuseSubmission(current, submission.Stage);
        var before = current.Deadlines.Single(d => d.Kind == submission.Stage);
        var deadlines = Nis2Clock.OnReportReceived(current.Deadlines, submission.Stage, now);
        var next = current with
        {
            Deadlines = deadlines,
            Nis2Reports = [.. current.Nis2Reports, new Nis2Report(submission.Stage, submission.RequestId, now, caller.Actor, submission.Summary)],
        };
        return Append(next, now, caller.Actor, "nis2-report", Received(before, deadlines, now) + ": " + submission.Summary);
    }

    /// <summary>Why a report of <paramref name="stage"/> is not accepted now; nothing when it is.</summary>
    private static void RefuseSubmission(Incident current, DeadlineKind stage)
    {
        if (!current.Deadlines.Any(d => Nis2Clock.IsStage(d.Kind)))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {current.TrackingId} has no NIS2 reporting obligations: it was not reported as a significant incident of an essential or important entity.",
                "tracking_id");
        }

        if (current.Status is IncidentStatus.Rejected or IncidentStatus.Duplicate)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {current.TrackingId} is {current.Status}: its NIS2 reporting obligations ended; report a new incident if needed.", "tracking_id");
        }

        if (stage == DeadlineKind.Nis2FinalReport && current.Deadlines.Any(d => d.Kind == DeadlineKind.Nis2Notification && d.MetAt is null))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"The final report of {current.TrackingId} follows the incident notification, which has not been received yet: submit the notification first.", "stage");
        }

        if (current.Nis2Reports.Length >= Limits.Nis2ReportsPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {current.TrackingId} has reached the limit of {Limits.Nis2ReportsPerIncident} NIS2 reports.");
        }
    }

    /// <summary>What the timeline says of a report of <paramref name="before"/>'s stage: received on time or late, or an update.</summary>
    private static string Received(Deadline before, Deadline[] deadlines, DateTimeOffset now)
    {
        var name = Nis2Clock.NameOf(before.Kind);
        if (before.MetAt is not null)
        {
            return $"Update to the {name} received";
        }

        var met = deadlines.Single(d => d.Kind == before.Kind);
        var summary = $"NIS2 {name} received" + (met.StatusAt(now) == DeadlineStatus.MetLate ? $", late (due {met.DueAt:u})" : $", on time (due {met.DueAt:u})");
        return before.Kind == DeadlineKind.Nis2Notification
            ? summary + $"; final report now due {deadlines.Single(d => d.Kind == DeadlineKind.Nis2FinalReport).DueAt:u}"
            : summary;
    }
}
