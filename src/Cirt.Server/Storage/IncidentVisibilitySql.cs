using System.Text;
using Cirt.Grains.Security;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Storage;

/// <summary>
/// <see cref="IncidentAccess.OrganisationSees"/> as a condition on table incident_party (one row per
/// organisation that reported an incident or is affected by it, deploy/sql/sqlite/011-queue-keyset.sql).
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
    /// (deploy/sql/sqlite/012-task-deadline-counts.sql).
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

    /// <summary>
    /// Appends the condition that the incident of queue row <paramref name="queue"/> ("q" where a
    /// statement joins the task or deadline table) is visible to organisation <paramref name="viewer"/>
    /// (an empty id sees nothing): one look-up of the viewer's party row by its primary key.
    /// </summary>
    public static void AppendVisibleTo(StringBuilder where, SqliteCommand command, string viewer, string queue)
    {
        where.Append(" AND $viewer <> '' AND EXISTS (SELECT 1 FROM incident_party v WHERE v.stakeholder = $viewer AND ")
            .Append(IncidentQuerySql.SameIncident("v", queue)).Append(" AND ").Append(Sees("v")).Append(')');
        command.Parameters.AddWithValue("$viewer", viewer);
    }

    private static string Labels(Audience standing) => string.Join(", ", IncidentAccess.LabelsVisibleTo(standing).Select(tlp => (int)tlp));
}
