using Cirt.Grains.Common;
using Cirt.Grains.Security;
using static Cirt.Grains.Incidents.IncidentTimeline;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Moving an incident through its lifecycle (<see cref="IncidentLifecycle"/>) and assigning it
/// (notes are <see cref="IncidentNotes"/>'). Out of Recovering it is resolved once every affected stakeholder is
/// restored (or a coordinator overrides, with a reason); a high or critical incident is closed only
/// after its post-incident review; closing cancels the tasks still open; the end of the handling
/// (resolving) and a reopening move the NIS2 final report's due time (<see cref="Nis2FinalReportRule"/>).
/// </summary>
public static class IncidentWork
{
    /// <summary>The incident moved to <paramref name="target"/>, with an entry saying from where, by whom and why.</summary>
    public static Incident Transition(
        Incident current, IncidentStatus target, string reason, long expectedVersion, bool overrideRestoration, Principal caller, DateTimeOffset now)
    {
        if (overrideRestoration && caller.Role != Role.Coordinator)
        {
            throw new CirtException(CirtErrorKind.PermissionDenied,
                "Only a coordinator resolves an incident whose affected stakeholders are not all restored.");
        }

        Versioning.Check("Incident", current.TrackingId, expectedVersion, current.Version);
        if (IncidentLifecycle.RefuseTransition(current.Status, target) is { } refusal)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, refusal, "target_status");
        }

        if (current.Status == IncidentStatus.Recovering && target == IncidentStatus.Resolved)
        {
            reason = ResolvingReason(current, reason, overrideRestoration);
        }

        if (target == IncidentStatus.Closed && current.Review is null && PostIncidentReview.RequiredFor(current.Severity))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {current.TrackingId} is of {Words.Of(current.Severity)} severity: it is closed only after its post-incident review (RecordReview; in the console: cirt review record {current.TrackingId}).",
                "target_status");
        }

        var kind = current.Status is IncidentStatus.Rejected or IncidentStatus.Duplicate ? "reopened" : "transitioned";
        // NIS2 Art. 23(4)(e): resolving (or reopening) moves the final report's due time; the entry says how.
        var nis2 = Nis2Clock.OnStatusChanged(current, target, now);
        var next = current with
        {
            Status = target,
            DuplicateOf = target == IncidentStatus.Reported ? "" : current.DuplicateOf,
            Deadlines = nis2.Deadlines,
        };
        next = Append(next, now, caller.Actor, kind, $"{Words.Of(current.Status)} → {Words.Of(target)}" + Because(reason) + (nis2.Note.Length > 0 ? $". {nis2.Note}" : ""));
        return IncidentTasks.CancelWhenEnded(next, caller.Actor, now);
    }

    /// <summary>The incident assigned to <paramref name="assignee"/> (empty: unassigned), or unchanged when it already is.</summary>
    public static Incident Assign(Incident current, string assignee, long expectedVersion, string actor, DateTimeOffset now)
    {
        Versioning.Check("Incident", current.TrackingId, expectedVersion, current.Version);
        if (current.Assignee == assignee)
        {
            return current;
        }

        var summary = assignee.Length == 0 ? $"Unassigned (was {current.Assignee})" : $"Assigned to {assignee}";
        return Append(current with { Assignee = assignee }, now, actor, "assigned", summary);
    }

    /// <summary>
    /// The reason recorded for resolving a recovering incident: as given when every affected
    /// stakeholder is restored; otherwise refused, unless overridden with a reason, which then says
    /// who was left unrestored.
    /// </summary>
    private static string ResolvingReason(Incident current, string reason, bool overrideRestoration)
    {
        var unrestored = current.Unrestored();
        if (unrestored.Length == 0)
        {
            return reason;
        }

        if (!overrideRestoration)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {current.TrackingId} is resolved once every affected stakeholder is restored; not yet restored: {string.Join(", ", unrestored)}. "
                + "Record restoration (SetRestoration), or a coordinator overrides with a reason.", "target_status");
        }

        if (reason.Trim().Length == 0)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, "Resolving with stakeholders not restored needs a reason.", "reason");
        }

        return $"{reason} (resolved with {string.Join(", ", unrestored)} not restored)";
    }
}
