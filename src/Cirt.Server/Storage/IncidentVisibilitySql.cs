using Cirt.Grains.Security;

namespace Cirt.Server.Storage;

/// <summary>
/// <see cref="IncidentAccess.OrganisationSees"/> as a condition on table incident_party (one row per
/// organisation that reported an incident or is affected by it, deploy/sql/sqlite/011-queue-keyset.sql),
/// and on the copies task and deadline rows and their counts keep (013-task-deadline-counts.sql).
/// Only its shape is written here (the reporter's standing first, then an affected organisation's):
/// which labels each standing sees comes from <see cref="IncidentAccess"/>, and so from
/// <see cref="TlpPolicy"/>. The parity test holds the two to the same answer for every cell.
/// </summary>
internal static class IncidentVisibilitySql
{
    private static readonly string AsReporter = Labels(Audience.NamedRecipient);
    private static readonly string AsAffected = Labels(Audience.InvolvedOrganisation);

    /// <summary>
    /// The condition that the party row named <paramref name="party"/> (a row of incident_party for
    /// the viewing organisation) lets that organisation see the incident.
    /// </summary>
    public static string Sees(string party) => Sees($"{party}.is_reporter", $"{party}.tlp");

    /// <summary>
    /// The condition that an organisation standing as <paramref name="isReporter"/> says (1 the
    /// reporter, 0 an affected organisation, anything else neither) sees an incident labelled
    /// <paramref name="tlp"/>: for the copies a task row and the task counts keep
    /// (deploy/sql/sqlite/013-task-deadline-counts.sql).
    /// </summary>
    public static string Sees(string isReporter, string tlp) =>
        $"(({isReporter} = 1 AND {tlp} IN ({AsReporter})) OR ({isReporter} = 0 AND {tlp} IN ({AsAffected})))";

    /// <summary>The condition that the reporter of an incident labelled <paramref name="tlp"/> sees it.</summary>
    public static string SeenByReporter(string tlp) => $"{tlp} IN ({AsReporter})";

    /// <summary>How organisation <paramref name="stakeholderId"/> stands to an incident, as the task rows keep it: 1 its reporter, 0 affected, -1 neither.</summary>
    public static int Standing(string stakeholderId, string reporter, IReadOnlyCollection<string> affected) =>
        IncidentAccess.StandingOf(stakeholderId, reporter, affected) switch
        {
            Audience.NamedRecipient => 1,
            Audience.InvolvedOrganisation => 0,
            _ => -1,
        };

    private static string Labels(Audience standing) => string.Join(", ", IncidentAccess.LabelsVisibleTo(standing).Select(tlp => (int)tlp));
}
