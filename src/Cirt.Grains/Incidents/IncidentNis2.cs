using Cirt.Grains.Common;
using Cirt.Grains.Security;
using static Cirt.Grains.Incidents.IncidentTimeline;

namespace Cirt.Grains.Incidents;

/// <summary>
/// NIS2 Article 23 reports against a significant incident of an essential or important entity, from
/// the organisation that reported it (or the CIRT on its behalf), and the intermediate reports the
/// CIRT requests (Art. 23(4)(c)). The deadlines themselves are <see cref="Nis2Clock"/>'s; this class
/// decides whether a report or a request is accepted and what it records.
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
        // The clock is brought up to now first (a final report overdue while the incident is being
        // handled has become a progress report, Art. 23(4)(e)); the note says how the report came in.
        var received = Nis2Clock.Receive(current, submission.Stage, now);
        var next = current with
        {
            Deadlines = received.Deadlines,
            Nis2Reports = [.. current.Nis2Reports, new Nis2Report(submission.Stage, submission.RequestId, now, caller.Actor, submission.Summary)],
        };
        return Append(next, now, caller.Actor, "nis2-report", received.Note + ": " + submission.Summary);
    }

    /// <summary>
    /// The incident with an intermediate report requested by the CIRT, due at <paramref name="dueAt"/>
    /// (Art. 23(4)(c)); it replaces an earlier request. Refused for an incident without NIS2
    /// obligations, or one rejected, marked duplicate or closed.
    /// </summary>
    public static Incident RequestIntermediateReport(Incident current, DateTimeOffset dueAt, string reason, string actor, DateTimeOffset now)
    {
        if (Nis2Clock.RefuseIntermediateReportRequest(current) is { } refusal)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, refusal, "tracking_id");
        }

        var requested = Nis2Clock.RequestIntermediateReport(current.Deadlines, dueAt, reason, now);
        return Append(current with { Deadlines = requested.Deadlines }, now, actor, "nis2-intermediate-requested", requested.Note);
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
                $"Incident {current.TrackingId} is {Words.Of(current.Status)}: its NIS2 reporting obligations ended; report a new incident if needed.", "tracking_id");
        }

        if (Nis2Clock.RefuseReport(current.Deadlines, stage, current.TrackingId) is { } notYet)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, notYet, "stage");
        }

        if (current.Nis2Reports.Length >= Limits.Nis2ReportsPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {current.TrackingId} has reached the limit of {Limits.Nis2ReportsPerIncident} NIS2 reports.");
        }
    }
}
