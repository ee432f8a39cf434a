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

    /// <summary>
    /// Appends the condition that the queue row is visible to organisation <paramref name="viewer"/>
    /// (an empty id sees nothing). <paramref name="queue"/> is how the statement names table
    /// incident_queue ("q" where it joins the task or deadline table); empty when it reads the queue alone.
    /// </summary>
    public static void AppendVisibleTo(StringBuilder where, SqliteCommand command, string viewer, string queue = "")
    {
        var q = queue.Length > 0 ? queue + "." : "";
        where.Append(" AND $viewer <> '' AND (")
            .Append('(').Append(q).Append("reporter = $viewer AND ").Append(q).Append("tlp IN (").Append(AsReporter).Append("))")
            .Append(" OR (").Append(q).Append("reporter <> $viewer AND instr(").Append(q).Append("stakeholders, $viewerEntry) > 0 AND ")
            .Append(q).Append("tlp IN (").Append(AsAffected).Append("))")
            .Append(')');
        command.Parameters.AddWithValue("$viewer", viewer);
        command.Parameters.AddWithValue("$viewerEntry", ListColumn.Entry(viewer));
    }

    private static string Labels(Audience standing) => string.Join(", ", IncidentAccess.LabelsVisibleTo(standing).Select(tlp => (int)tlp));
}
