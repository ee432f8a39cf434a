using Cirt.Grains.Incidents;

namespace Cirt.Grains.Security;

/// <summary>
/// Object-level access to incidents, the one definition every view derives from (a single
/// incident; the queue, tasks and deadlines in memory and in SQL; the inbox). CIRT staff see every incident. An operator
/// sees an incident of its own organisation only: one it reported (its reporter is a named
/// recipient), or one that affects it (an involved organisation), each as far as
/// <see cref="TlpPolicy"/> lets the label reach that audience. Everyone else sees none: an
/// incident they may not see is answered as if it did not exist.
/// </summary>
public static class IncidentAccess
{
    public static bool CanSee(Principal principal, IncidentSummary incident) =>
        CanSee(principal, incident.ReporterStakeholderId, incident.AffectedStakeholderIds, incident.Tlp);

    public static bool CanSee(Principal principal, Incident incident) =>
        CanSee(principal, incident.ReporterStakeholderId, incident.AffectedStakeholderIds, incident.Tlp);

    public static bool CanSee(Principal principal, string reporter, IReadOnlyCollection<string> affected, Tlp tlp) =>
        OrganisationScope(principal) is not { } organisation || OrganisationSees(organisation, reporter, affected, tlp);

    /// <summary>
    /// The organisation whose view bounds what <paramref name="principal"/> sees: null for CIRT
    /// staff (no bound), an operator's stakeholder id, and "" (sees nothing) for everyone else,
    /// partner CIRTs and operators bound to no organisation included.
    /// </summary>
    public static string? OrganisationScope(Principal principal) =>
        principal.IsCirtStaff ? null
        : principal.Role == Role.Operator ? principal.StakeholderId
        : "";

    /// <summary>Whether organisation <paramref name="stakeholderId"/> sees an incident (an empty id sees none).</summary>
    public static bool OrganisationSees(string stakeholderId, string reporter, IReadOnlyCollection<string> affected, Tlp tlp) =>
        StandingOf(stakeholderId, reporter, affected) is { } standing && TlpPolicy.MayReceive(tlp, standing);

    /// <summary>
    /// How an organisation stands to an incident: the reporter is a named recipient, an affected
    /// stakeholder an involved organisation; null when it is neither (or the id is empty).
    /// </summary>
    public static Audience? StandingOf(string stakeholderId, string reporter, IReadOnlyCollection<string> affected) =>
        stakeholderId.Length == 0 ? null
        : reporter == stakeholderId ? Audience.NamedRecipient
        : affected.Contains(stakeholderId) ? Audience.InvolvedOrganisation
        : null;

    /// <summary>The labels of incidents an organisation standing as <paramref name="standing"/> sees, least restrictive first (for queries).</summary>
    public static IReadOnlyList<Tlp> LabelsVisibleTo(Audience standing) =>
        Enum.GetValues<Tlp>().Where(tlp => TlpPolicy.MayReceive(tlp, standing)).Order().ToArray();
}
