using Cirt.Grains.Incidents;

namespace Cirt.Grains.Security;

/// <summary>
/// Object-level access to incidents. CIRT staff see every incident. An operator sees an incident of
/// its own organisation only: one it reported (its reporter is a named recipient, whatever the
/// TLP), or one that affects it when the TLP reaches involved organisations. Everyone else sees
/// none: an incident they may not see is answered as if it did not exist.
/// </summary>
public static class IncidentAccess
{
    public static bool CanSee(Principal principal, IncidentSummary incident) =>
        CanSee(principal, incident.ReporterStakeholderId, incident.AffectedStakeholderIds, incident.Tlp);

    public static bool CanSee(Principal principal, Incident incident) =>
        CanSee(principal, incident.ReporterStakeholderId, incident.AffectedStakeholderIds, incident.Tlp);

    public static bool CanSee(Principal principal, string reporter, IReadOnlyCollection<string> affected, Tlp tlp)
    {
        if (principal.IsCirtStaff)
        {
            return true;
        }

        if (principal.Role != Role.Operator || principal.StakeholderId.Length == 0)
        {
            return false;
        }

        if (principal.StakeholderId == reporter)
        {
            return true;
        }

        return affected.Contains(principal.StakeholderId) && TlpPolicy.MayReceive(tlp, Audience.InvolvedOrganisation);
    }

    /// <summary>The most restrictive label an involved (non-reporting) organisation may still see: AMBER.</summary>
    public static Tlp MostRestrictiveForInvolved { get; } =
        Enum.GetValues<Tlp>().Where(t => TlpPolicy.MayReceive(t, Audience.InvolvedOrganisation)).Max();
}
