using Cirt.Grains.Common;
using Cirt.Grains.Security;
using static Cirt.Grains.Incidents.IncidentTimeline;

namespace Cirt.Grains.Incidents;

/// <summary>
/// The organisations an incident involves beyond its reporter: the stakeholders it affects (up to
/// <see cref="Limits.StakeholdersPerIncident"/>) and the law-enforcement agencies it is referred to
/// (the CIRT's internal work: CIRT staff alone read referrals, <see cref="IncidentDisclosure"/>).
/// </summary>
public static class IncidentCoordination
{
    /// <summary>The kind of a referral's timeline entry: internal, like the referral (<see cref="IncidentDisclosure"/>).</summary>
    public const string ReferredKind = "referred";

    /// <summary>The incident with those of <paramref name="stakeholderIds"/> not yet affected added, or unchanged when none is new.</summary>
    public static Incident AddAffected(Incident current, string[] stakeholderIds, string actor, DateTimeOffset now)
    {
        if (IncidentSharing.RefusalToInvolve(current) is { } refusal)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, refusal, "stakeholder_ids");
        }

        var added = stakeholderIds.Distinct().Where(id => !current.AffectedStakeholderIds.Contains(id)).ToArray();
        if (added.Length == 0)
        {
            return current;
        }

        if (current.AffectedStakeholderIds.Length + added.Length > Limits.StakeholdersPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"An incident has at most {Limits.StakeholdersPerIncident} affected stakeholders; {current.TrackingId} has {current.AffectedStakeholderIds.Length}.", "stakeholder_ids");
        }

        var notified = TlpPolicy.MayReceive(current.Tlp, Audience.InvolvedOrganisation);
        // An added stakeholder its reporter had proposed is no longer a proposal.
        var next = current with
        {
            AffectedStakeholderIds = [.. current.AffectedStakeholderIds, .. added],
            ProposedAffectedStakeholderIds = current.ProposedAffectedStakeholderIds.Except(added).ToArray(),
        };
        return Append(next, now, actor, "affected-added",
            $"Affected stakeholder(s) added: {string.Join(", ", added)}"
            + (notified ? "; they are notified" : $"; at TLP:{TlpLabels.Of(current.Tlp)} they do not see the incident"));
    }

    /// <summary>The incident referred to <paramref name="agency"/> under its <paramref name="reference"/>, or unchanged when it already is.</summary>
    public static Incident Refer(Incident current, string agency, string reference, string note, string actor, DateTimeOffset now)
    {
        if (current.Referrals.Any(r => r.Agency == agency && r.Reference == reference))
        {
            return current;
        }

        var referral = new LawEnforcementReferral(agency, reference, now, actor, note);
        return Append(current with { Referrals = [.. current.Referrals, referral] }, now, actor, ReferredKind,
            $"Referred to {agency} (their reference {reference})" + Because(note), TimelineVisibility.Internal);
    }
}
