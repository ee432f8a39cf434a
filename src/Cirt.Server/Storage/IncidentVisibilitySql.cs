using System.Text;
using Cirt.Grains.Security;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Storage;

/// <summary>
/// <see cref="IncidentAccess.OrganisationSees"/> as a condition on table incident_queue. Only its
/// shape is written here (the reporter's standing first, then an affected organisation's): which
/// labels each standing sees comes from <see cref="IncidentAccess"/>, and so from
/// <see cref="TlpPolicy"/>. The parity test holds the two to the same answer for every cell.
/// </summary>
internal static class IncidentVisibilitySql
{
    private static readonly string AsReporter = Labels(Audience.NamedRecipient);
    private static readonly string AsAffected = Labels(Audience.InvolvedOrganisation);

    /// <summary>Appends the condition that the row is visible to organisation <paramref name="viewer"/> (an empty id sees nothing).</summary>
    public static void AppendVisibleTo(StringBuilder where, SqliteCommand command, string viewer)
    {
        where.Append(" AND $viewer <> '' AND (")
            .Append("(reporter = $viewer AND tlp IN (").Append(AsReporter).Append("))")
            .Append(" OR (reporter <> $viewer AND instr(stakeholders, $viewerEntry) > 0 AND tlp IN (").Append(AsAffected).Append("))")
            .Append(')');
        command.Parameters.AddWithValue("$viewer", viewer);
        command.Parameters.AddWithValue("$viewerEntry", ListColumn.Entry(viewer));
    }

    private static string Labels(Audience standing) => string.Join(", ", IncidentAccess.LabelsVisibleTo(standing).Select(tlp => (int)tlp));
}
