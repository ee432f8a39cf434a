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
    public static string Sees(string party) =>
        $"(({party}.is_reporter = 1 AND {party}.tlp IN ({AsReporter})) OR ({party}.is_reporter = 0 AND {party}.tlp IN ({AsAffected})))";

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
