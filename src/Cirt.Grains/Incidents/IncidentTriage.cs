using Cirt.Grains.Common;
using Cirt.Grains.Taxonomy;
using static Cirt.Grains.Incidents.IncidentTimeline;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Triage of a reported incident: accepted with an RSIT classification and the CIRT's severity,
/// rejected with a reason, or marked as the duplicate of another incident. Accepting settles what
/// the reporter proposed (<see cref="Incident.ProposedAffectedStakeholderIds"/>,
/// <see cref="Incident.ProposedSectorCodes"/>): what the analyst confirms becomes affected, the rest
/// is declined; rejecting or marking a duplicate leaves the proposals for a reopened triage. Triage
/// meets the triage deadline; a rejected or duplicate incident ends, and the tasks still open on it
/// are cancelled.
/// </summary>
public static class IncidentTriage
{
    /// <summary>
    /// The incident after <paramref name="decision"/>. Accepting does not add the playbook's tasks
    /// (<see cref="IncidentTasks.AddPlaybook"/> does), and marking a duplicate does not link the
    /// original (<see cref="LinkDuplicate"/> does, on the original).
    /// </summary>
    public static Incident Triage(
        Incident current, TriageDecision decision, long expectedVersion, RsitTaxonomy taxonomy, string actor, DateTimeOffset now)
    {
        Versioning.Check("Incident", current.TrackingId, expectedVersion, current.Version);
        if (IncidentLifecycle.RefuseTriage(current.Status) is { } refusal)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, refusal);
        }

        var next = decision.Outcome switch
        {
            TriageOutcome.Accept => Accept(current, decision, taxonomy, actor, now),
            TriageOutcome.Reject => Append(current with { Status = IncidentStatus.Rejected }, now, actor, "rejected", "Rejected" + Because(decision.Reason)),
            TriageOutcome.Duplicate => MarkDuplicate(current, decision, actor, now),
            _ => throw new CirtException(CirtErrorKind.InvalidArgument, "Unknown triage outcome.", "outcome"),
        };
        next = next with { Deadlines = MeetTriageDeadline(next.Deadlines, now) };
        return IncidentTasks.CancelWhenEnded(next, actor, now);
    }

    /// <summary>
    /// The original incident with a timeline entry saying that <paramref name="duplicateTrackingId"/>
    /// was marked its duplicate. A duplicate cannot be an original: mark against its own original.
    /// </summary>
    public static Incident LinkDuplicate(Incident original, string duplicateTrackingId, string actor, DateTimeOffset now)
    {
        if (original.Status == IncidentStatus.Duplicate)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident '{original.TrackingId}' is itself a duplicate of '{original.DuplicateOf}'; mark the duplicate against that one.", "duplicate_of");
        }

        return Append(original, now, actor, "duplicate-linked", $"{duplicateTrackingId} was marked as a duplicate of this incident");
    }

    /// <summary>The deadlines with the triage deadline met at <paramref name="now"/> (unless it was met before).</summary>
    public static Deadline[] MeetTriageDeadline(Deadline[] deadlines, DateTimeOffset now) =>
        deadlines.Select(d => d.Kind == DeadlineKind.Triage && d.MetAt is null ? d with { MetAt = now } : d).ToArray();

    private static Incident Accept(Incident current, TriageDecision decision, RsitTaxonomy taxonomy, string actor, DateTimeOffset now)
    {
        if (taxonomy.Refuse(decision.RsitClass, decision.RsitType) is { } bad)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, bad.Message, bad.Field);
        }

        var stakeholders = Confirmed(current.ProposedAffectedStakeholderIds, decision.ConfirmStakeholderIds, decision.ConfirmProposed, "affected stakeholder", "confirm_stakeholder_ids",
            "add others with AddAffectedStakeholders");
        var sectors = Confirmed(current.ProposedSectorCodes, decision.ConfirmSectorCodes, decision.ConfirmProposed, "sector", "confirm_sector_codes",
            "an incident's other sectors follow its affected stakeholders");
        var affected = current.AffectedStakeholderIds.Union(stakeholders).ToArray();
        if (affected.Length > Limits.StakeholdersPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"An incident has at most {Limits.StakeholdersPerIncident} affected stakeholders; confirming {stakeholders.Length} would make {affected.Length}.",
                "confirm_stakeholder_ids");
        }

        var next = current with
        {
            Status = IncidentStatus.Triaged,
            RsitClass = decision.RsitClass,
            RsitType = decision.RsitType,
            Severity = decision.Severity,
            Tlp = decision.Tlp ?? current.Tlp,
            Assignee = decision.Assignee.Length > 0 ? decision.Assignee : current.Assignee,
            AffectedStakeholderIds = affected,
            SectorCodes = current.SectorCodes.Union(sectors).Order(StringComparer.Ordinal).ToArray(),
            ProposedAffectedStakeholderIds = [],
            ProposedSectorCodes = [],
        };
        IncidentTasks.RefuseHidingFromAssignees(current, next, "tlp");
        return Append(next, now, actor, "triaged",
            $"Triaged as {next.RsitClass}/{next.RsitType}, severity {Words.Of(next.Severity)}"
            + (current.ReportedSeverity != Severity.Unspecified && current.ReportedSeverity != next.Severity ? $" (reported as {Words.Of(current.ReportedSeverity)})" : "")
            + $", TLP:{TlpLabels.Of(next.Tlp)}"
            + (next.Assignee.Length > 0 ? $", assigned to {next.Assignee}" : "")
            + Settled("affected stakeholders", current.ProposedAffectedStakeholderIds, stakeholders)
            + Settled("sectors", current.ProposedSectorCodes, sectors)
            + Because(decision.Reason));
    }

    /// <summary>
    /// Which of the <paramref name="proposed"/> entries the analyst confirms: all of them, or those
    /// listed, each of which must have been proposed.
    /// </summary>
    private static string[] Confirmed(string[] proposed, string[] listed, bool all, string what, string field, string otherwise)
    {
        if (all)
        {
            return proposed;
        }

        var unproposed = listed.Where(x => !proposed.Contains(x)).Distinct().ToArray();
        if (unproposed.Length > 0)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Triage confirms only what the reporter proposed; not proposed as {what}: {string.Join(", ", unproposed.Select(Echo.Of))} "
                + $"(proposed: {(proposed.Length == 0 ? "none" : string.Join(", ", proposed))}); {otherwise}.", field);
        }

        return proposed.Where(listed.Contains).ToArray();
    }

    /// <summary>What triage made of a proposal, for its timeline entry ("" when nothing was proposed).</summary>
    private static string Settled(string what, string[] proposed, string[] confirmed)
    {
        if (proposed.Length == 0)
        {
            return "";
        }

        var declined = proposed.Except(confirmed).ToArray();
        return $"; proposed {what}: "
               + (confirmed.Length > 0 ? "confirmed " + string.Join(", ", confirmed) : "")
               + (confirmed.Length > 0 && declined.Length > 0 ? ", " : "")
               + (declined.Length > 0 ? "declined " + string.Join(", ", declined) : "");
    }

    private static Incident MarkDuplicate(Incident current, TriageDecision decision, string actor, DateTimeOffset now)
    {
        if (decision.DuplicateOf == current.TrackingId)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, "An incident cannot be a duplicate of itself.", "duplicate_of");
        }

        return Append(current with { Status = IncidentStatus.Duplicate, DuplicateOf = decision.DuplicateOf },
            now, actor, "marked-duplicate", $"Marked as duplicate of {decision.DuplicateOf}" + Because(decision.Reason));
    }
}
