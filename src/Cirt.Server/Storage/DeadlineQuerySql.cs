using System.Data.Common;
using System.Text;
using Cirt.Grains.Incidents;

namespace Cirt.Server.Storage;

/// <summary>
/// The statements behind <see cref="SqliteIncidentQueue.DeadlinesAsync"/> and
/// <see cref="PostgresIncidentQueue.DeadlinesAsync"/>, over the same tables and indexes in both
/// (deploy/sql/sqlite/013-task-deadline-counts.sql, deploy/sql/postgresql/200-incident-queue.sql),
/// written so that each costs what its page costs: the page seeks an
/// index in its order (soonest due first), led by the reporter when the list is an organisation's
/// own obligations; the total of the open and "all" views is a sum over the counts kept by
/// triggers per UTC day they fall due; the overdue view's is the open ones of the days before
/// today plus today's counted up to now (see <see cref="DueToday"/>).
/// </summary>
internal static class DeadlineQuerySql
{
    /// <summary>The statement that reads the page of <paramref name="query"/>, its parameters added to <paramref name="command"/>.</summary>
    public static string Page(DbCommand command, DeadlineQuery query, SqlDialect dialect)
    {
        var open = query.View is DeadlineView.Open or DeadlineView.Overdue;
        // Named, not left to SQLite's planner: it might read by incident and sort (PostgreSQL's picks well).
        var index = (query.ReportedBy is not null, open) switch
        {
            (true, true) => "ix_incident_deadline_reporter_open_due",
            (true, false) => "ix_incident_deadline_reporter_due",
            (false, true) => "ix_incident_deadline_open_due",
            (false, false) => "ix_incident_deadline_due",
        };
        var where = new StringBuilder(SqliteIncidentQueue.StillLive);
        if (open)
        {
            // Written as the partial indexes' condition is, so that the planner may read them.
            where.Append(" AND d.met_at IS NULL AND d.live = 1");
        }

        if (query.View == DeadlineView.Overdue)
        {
            where.Append(" AND d.due_at < @now");
            QuerySql.Add(command, "@now", query.Now.ToUnixTimeMilliseconds());
        }

        AppendRowFilters(where, command, query);
        if (query.After is { } after)
        {
            where.Append(" AND (d.due_at, d.tracking_id, d.kind) > (@afterDue, @afterId, @afterKind)");
            QuerySql.Add(command, "@afterDue", after.DueAtMs);
            QuerySql.Add(command, "@afterId", after.TrackingId);
            QuerySql.Add(command, "@afterKind", (int)after.Kind);
        }

        QuerySql.Add(command, "@limit", query.Limit);
        return $"""
            SELECT {SqliteIncidentQueue.QueueColumns}, {SqliteIncidentQueue.DeadlineColumns}
            FROM incident_deadline d {Indexed(dialect, index)}JOIN incident_queue q ON q.tracking_id = d.tracking_id
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
    public static string Kept(DbCommand command, DeadlineQuery query)
    {
        var where = new StringBuilder("c.reporter = @countReporter AND c.sector = @countSector");
        QuerySql.Add(command, "@countReporter", query.ReportedBy ?? "");
        QuerySql.Add(command, "@countSector", query.SectorCode ?? "");
        if (query.View is DeadlineView.Open or DeadlineView.Overdue)
        {
            where.Append(" AND c.open = 1");
        }

        if (query.View == DeadlineView.Overdue)
        {
            where.Append(" AND c.due_day < @today");
            QuerySql.Add(command, "@today", DueDay.Of(query.Now));
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
    public static string DueToday(DbCommand command, DeadlineQuery query, SqlDialect dialect)
    {
        var index = query.ReportedBy is not null ? "ix_incident_deadline_reporter_open_due" : "ix_incident_deadline_open_due";
        var range = new StringBuilder("d.met_at IS NULL AND d.live = 1 AND d.due_at >= @todayFrom AND d.due_at < @todayNow");
        QuerySql.Add(command, "@todayFrom", DueDay.StartOf(query.Now));
        QuerySql.Add(command, "@todayNow", query.Now.ToUnixTimeMilliseconds());
        var match = new List<string>();
        if (query.ReportedBy is not null)
        {
            range.Append(" AND d.reporter = @todayReporter");
            QuerySql.Add(command, "@todayReporter", query.ReportedBy);
            match.Add(IncidentVisibilitySql.SeenByReporter("d.tlp"));
        }

        if (query.SectorCode is not null)
        {
            // The row's sectors: a JSON array in SQLite, a text array in PostgreSQL.
            match.Add(dialect == SqlDialect.Sqlite ? "EXISTS (SELECT 1 FROM json_each(d.sectors) WHERE value = @todaySector)" : "@todaySector = ANY(d.sectors)");
            QuerySql.Add(command, "@todaySector", query.SectorCode);
        }

        return $"""
            SELECT count(*), coalesce(sum(matches), 0) FROM (
                SELECT {QuerySql.Matches(match, dialect)} AS matches
                FROM incident_deadline d {Indexed(dialect, index)}WHERE {range}
                LIMIT @cap){(dialect == SqlDialect.Postgres ? " AS today" : "")}
            """;
    }

    /// <summary>SQLite's index hint (with a space after it), nothing for PostgreSQL.</summary>
    private static string Indexed(SqlDialect dialect, string index) => dialect == SqlDialect.Sqlite ? $"INDEXED BY {index} " : "";

    /// <summary>The filters the page applies to its rows: the sector, and a reporter's own obligations as far as it sees them.</summary>
    private static void AppendRowFilters(StringBuilder where, DbCommand command, DeadlineQuery query)
    {
        if (query.SectorCode is not null)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM incident_sector s WHERE s.sector = @sector AND ").Append(IncidentQuerySql.SameIncident("s", "q")).Append(')');
            QuerySql.Add(command, "@sector", query.SectorCode);
        }

        if (query.ReportedBy is not null)
        {
            // The row's own copies of the reporter and the label (kept with the queue row), as the counts use them.
            where.Append(" AND d.reporter = @reporter AND @reporter <> '' AND ").Append(IncidentVisibilitySql.SeenByReporter("d.tlp"));
            QuerySql.Add(command, "@reporter", query.ReportedBy);
        }
    }
}
