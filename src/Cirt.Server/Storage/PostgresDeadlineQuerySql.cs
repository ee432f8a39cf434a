using System.Text;
using Cirt.Grains.Incidents;
using Npgsql;

namespace Cirt.Server.Storage;

/// <summary>
/// The statements behind <see cref="PostgresIncidentQueue.DeadlinesAsync"/>, written so that each
/// costs what its page costs (deploy/sql/postgresql/200-incident-queue.sql, as deploy/sql/sqlite/013-task-deadline-counts.sql): the page seeks an
/// index in its order (soonest due first), led by the reporter when the list is an organisation's
/// own obligations; the total of the open and "all" views is a sum over the counts kept by
/// triggers per UTC day they fall due; the overdue view's is the open ones of the days before
/// today plus today's counted up to now (see <see cref="DueToday"/>).
/// </summary>
internal static class PostgresDeadlineQuerySql
{
    /// <summary>The statement that reads the page of <paramref name="query"/>, its parameters added to <paramref name="command"/>.</summary>
    public static string Page(NpgsqlCommand command, DeadlineQuery query)
    {
        var open = query.View is DeadlineView.Open or DeadlineView.Overdue;
        var where = new StringBuilder(PostgresIncidentQueue.StillLive);
        if (open)
        {
            // Written as the partial indexes' condition is, so that PostgreSQL may read them.
            where.Append(" AND d.met_at IS NULL AND d.live = 1");
        }

        if (query.View == DeadlineView.Overdue)
        {
            where.Append(" AND d.due_at < @now");
            command.Parameters.AddWithValue("@now", query.Now.ToUnixTimeMilliseconds());
        }

        AppendRowFilters(where, command, query);
        if (query.After is { } after)
        {
            where.Append(" AND (d.due_at, d.tracking_id, d.kind) > (@afterDue, @afterId, @afterKind)");
            command.Parameters.AddWithValue("@afterDue", after.DueAtMs);
            command.Parameters.AddWithValue("@afterId", after.TrackingId);
            command.Parameters.AddWithValue("@afterKind", (int)after.Kind);
        }

        command.Parameters.AddWithValue("@limit", query.Limit);
        return $"""
            SELECT {PostgresIncidentQueue.QueueColumns}, {PostgresIncidentQueue.DeadlineColumns}
            FROM incident_deadline d JOIN incident_queue q ON q.tracking_id = d.tracking_id
            {where}
            ORDER BY d.due_at, d.tracking_id, d.kind
            LIMIT @limit
            """;
    }

    /// <summary>
    /// The statement that sums the kept counts for <paramref name="query"/>'s filters: every
    /// deadline of the open and "all" views; for the overdue view the open ones due on the UTC days
    /// before <see cref="DeadlineQuery.Now"/>'s (to which <see cref="DueToday"/> adds today's). A
    /// reporter's own are summed over the labels it sees.
    /// </summary>
    public static string Kept(NpgsqlCommand command, DeadlineQuery query)
    {
        var where = new StringBuilder("c.reporter = @countReporter AND c.sector = @countSector");
        command.Parameters.AddWithValue("@countReporter", query.ReportedBy ?? "");
        command.Parameters.AddWithValue("@countSector", query.SectorCode ?? "");
        if (query.View is DeadlineView.Open or DeadlineView.Overdue)
        {
            where.Append(" AND c.open = 1");
        }

        if (query.View == DeadlineView.Overdue)
        {
            where.Append(" AND c.due_day < @today");
            command.Parameters.AddWithValue("@today", DueDay.Of(query.Now));
        }

        if (query.ReportedBy is not null)
        {
            where.Append(" AND ").Append(IncidentVisibilitySql.SeenByReporter("c.tlp"));
        }

        return $"SELECT coalesce(sum(c.deadlines), 0) FROM incident_deadline_counts c WHERE {where}";
    }

    /// <summary>
    /// The statement that counts the open deadlines of the view due today (UTC) before
    /// <see cref="DeadlineQuery.Now"/>, read from the open rows' index (the reporter's, for its own),
    /// at most @cap rows: it returns how many rows it read and how many of them match the query's
    /// other filters. Fewer read than the cap: the count is exact.
    /// </summary>
    public static string DueToday(NpgsqlCommand command, DeadlineQuery query)
    {
        var range = new StringBuilder("d.met_at IS NULL AND d.live = 1 AND d.due_at >= @todayFrom AND d.due_at < @todayNow");
        command.Parameters.AddWithValue("@todayFrom", DueDay.StartOf(query.Now));
        command.Parameters.AddWithValue("@todayNow", query.Now.ToUnixTimeMilliseconds());
        var match = new List<string>();
        if (query.ReportedBy is not null)
        {
            range.Append(" AND d.reporter = @todayReporter");
            command.Parameters.AddWithValue("@todayReporter", query.ReportedBy);
            match.Add(IncidentVisibilitySql.SeenByReporter("d.tlp"));
        }

        if (query.SectorCode is not null)
        {
            match.Add("@todaySector = ANY(d.sectors)");
            command.Parameters.AddWithValue("@todaySector", query.SectorCode);
        }

        return $"""
            SELECT count(*), coalesce(sum(matches), 0) FROM (
                SELECT {(match.Count == 0 ? "1" : "(" + string.Join(" AND ", match) + ")::integer")} AS matches
                FROM incident_deadline d WHERE {range}
                LIMIT @cap) AS today
            """;
    }

    /// <summary>The filters the page applies to its rows: the sector, and a reporter's own obligations as far as it sees them.</summary>
    private static void AppendRowFilters(StringBuilder where, NpgsqlCommand command, DeadlineQuery query)
    {
        if (query.SectorCode is not null)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM incident_sector s WHERE s.sector = @sector AND ").Append(IncidentQuerySql.SameIncident("s", "q")).Append(')');
            command.Parameters.AddWithValue("@sector", query.SectorCode);
        }

        if (query.ReportedBy is not null)
        {
            // The row's own copies of the reporter and the label (kept with the queue row), as the counts use them.
            where.Append(" AND d.reporter = @reporter AND @reporter <> '' AND ").Append(IncidentVisibilitySql.SeenByReporter("d.tlp"));
            command.Parameters.AddWithValue("@reporter", query.ReportedBy);
        }
    }
}
