using Cirt.Grains.Common;
using Cirt.Grains.Security;
using static Cirt.Grains.Incidents.IncidentTimeline;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Recovery and what is learnt from it: each affected stakeholder's restoration, and the
/// post-incident review of a recovering or resolved incident. An organisation records its own
/// restoration. On its behalf, CIRT staff may record that it is not restored, but only a
/// coordinator, giving the reason, records that it is restored: resolving a recovering incident
/// with an organisation not restored is a coordinator's override (<see cref="IncidentWork"/>), and an
/// analyst marking others restored would make that override empty. Records made on an
/// organisation's behalf say so.
/// </summary>
public static class IncidentRecovery
{
    /// <summary>The incident with <paramref name="stakeholderId"/>'s restoration recorded (replacing what was recorded before).</summary>
    public static Incident SetRestoration(Incident current, string stakeholderId, bool restored, string note, Principal caller, DateTimeOffset now)
    {
        var onBehalf = stakeholderId != caller.StakeholderId || caller.Role != Role.Operator;
        if (!caller.IsCirtStaff && onBehalf)
        {
            throw new CirtException(CirtErrorKind.PermissionDenied,
                $"Your organisation reports its own restoration ({caller.StakeholderId}), not {stakeholderId}'s.");
        }

        if (onBehalf && restored && caller.Role != Role.Coordinator)
        {
            throw new CirtException(CirtErrorKind.PermissionDenied,
                $"Only {stakeholderId} itself, or a coordinator on its behalf, records that it is restored: resolving without its "
                + "restoration is a coordinator's override. You may record it not restored.");
        }

        if (onBehalf && restored && note.Trim().Length == 0)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument,
                $"Recording that {stakeholderId} is restored on its behalf needs a note: how the organisation confirmed it.", "note");
        }

        if (!current.AffectedStakeholderIds.Contains(stakeholderId))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"'{Echo.Of(stakeholderId)}' is not among the stakeholders affected by {current.TrackingId} ({string.Join(", ", current.AffectedStakeholderIds)}).", "stakeholder_id");
        }

        if (current.Status is not (IncidentStatus.Triaged or IncidentStatus.Responding or IncidentStatus.Recovering))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Restoration is recorded while an incident is being worked (triaged, responding, recovering); {current.TrackingId} is {Words.Of(current.Status)}.", "tracking_id");
        }

        var restoration = new Restoration(stakeholderId, restored, now, caller.Actor, note, onBehalf);
        var next = current with { Restorations = [.. current.Restorations.Where(r => r.StakeholderId != stakeholderId), restoration] };
        var left = next.Unrestored();
        return Append(next, now, caller.Actor, "restoration",
            $"{stakeholderId} {(restored ? "restored" : "not restored")}" + (onBehalf ? $" (recorded by {caller.Actor} on its behalf)" : "") + Because(note)
            + (left.Length == 0 ? "; every affected stakeholder is restored" : $"; still to restore: {string.Join(", ", left)}"));
    }

    /// <summary>The incident with <paramref name="review"/> recorded (or revised) by <paramref name="actor"/>.</summary>
    public static Incident RecordReview(Incident current, PostIncidentReview review, long expectedVersion, string actor, DateTimeOffset now)
    {
        Versioning.Check("Incident", current.TrackingId, expectedVersion, current.Version);
        if (current.Status is not (IncidentStatus.Recovering or IncidentStatus.Resolved))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"A post-incident review is recorded once the incident is recovering or resolved; {current.TrackingId} is {Words.Of(current.Status)}.", "tracking_id");
        }

        var recorded = review with { RecordedAt = now, RecordedBy = actor };
        var followUps = recorded.FollowUpActions.Length == 0 ? "no follow-up actions" : $"{recorded.FollowUpActions.Length} follow-up action(s)";
        return Append(current with { Review = recorded }, now, actor, "reviewed",
            (current.Review is null ? "Post-incident review recorded" : "Post-incident review revised") + $": root cause: {recorded.RootCause}; {followUps}");
    }
}
