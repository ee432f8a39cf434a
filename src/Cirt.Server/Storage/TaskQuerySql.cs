using System.Data.Common;
using System.Text;
using Cirt.Grains.Incidents;

namespace Cirt.Server.Storage;

/// <summary>
/// The statements behind <see cref="SqliteIncidentQueue.TasksAsync"/> and
/// <see cref="PostgresIncidentQueue.TasksAsync"/>, over the same tables and indexes in both
/// (deploy/sql/sqlite/013-task-deadline-counts.sql, deploy/sql/postgresql/200-incident-queue.sql),
/// written so that each costs what its page costs: the page seeks an index in
/// its order (soonest due first, tasks without a due date last), led by the organisation or the
/// analyst the tasks are assigned to when the query names one; the total is a sum over the counts
/// kept by triggers per UTC day tasks fall due, for overdue tasks the open ones of the days before
/// today plus today's counted up to now (see <see cref="DueToday"/>).
/// </summary>
internal static class TaskQuerySql
{
    /// <summary>A task's due time as its lists sort it, the expression the task indexes hold: tasks without one last.</summary>
    public const string DueKey = "coalesce(t.due_at, 9223372036854775807)";

    private static readonly string OpenAndLive = $"t.status IN ({(int)IncidentTaskStatus.Open}, {(int)IncidentTaskStatus.InProgress}) AND t.live = 1";

    /// <summary>The statement that reads the page of <paramref name="query"/>, its parameters added to <paramref name="command"/>.</summary>
    public static string Page(DbCommand command, TaskQuery query, SqlDialect dialect)
    {
        var open = IsOpen(query);
        var where = new StringBuilder(SqliteIncidentQueue.StillLive);
        if (open)
        {
            // Written as the partial indexes' condition is, so that the planner may read them.
            where.Append(" AND ").Append(OpenAndLive);
        }

        if (query.OverdueOnly)
        {
            // On the indexed expression, so that overdue tasks are a range of the ordered index.
            where.Append($" AND {DueKey} < @now");
            QuerySql.Add(command, "@now", query.Now.ToUnixTimeMilliseconds());
        }

        if (query.SectorCode is not null)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM incident_sector s WHERE s.sector = @sector AND ").Append(IncidentQuerySql.SameIncident("s", "q")).Append(')');
            QuerySql.Add(command, "@sector", query.SectorCode);
        }

        if (query.AssignedToStakeholder is not null)
        {
            // The row's own copies of how the organisation stands to the incident and of its label (kept with the queue row), as the counts use them.
            where.Append(" AND t.assignee_stakeholder = @stakeholder AND @stakeholder <> '' AND ").Append(IncidentVisibilitySql.Sees("t.assignee_standing", "t.tlp"));
            QuerySql.Add(command, "@stakeholder", query.AssignedToStakeholder);
        }

        if (query.AssignedToAnalyst is not null)
        {
            where.Append(" AND t.assignee_analyst = @analyst");
            QuerySql.Add(command, "@analyst", query.AssignedToAnalyst);
        }

        if (query.After is { } after)
        {
            // SQLite seeks an expression index by a plain comparison, not by a row value: the range spelled out there.
            where.Append(dialect == SqlDialect.Sqlite
                ? $" AND {DueKey} >= @afterDue AND ({DueKey} > @afterDue OR (t.tracking_id, t.number) > (@afterId, @afterNumber))"
                : $" AND ({DueKey}, t.tracking_id, t.number) > (@afterDue, @afterId, @afterNumber)");
            QuerySql.Add(command, "@afterDue", after.DueKey);
            QuerySql.Add(command, "@afterId", after.TrackingId);
            QuerySql.Add(command, "@afterNumber", after.Number);
        }

        QuerySql.Add(command, "@limit", query.Limit);
        return $"""
            SELECT {SqliteIncidentQueue.QueueColumns}, {SqliteIncidentQueue.TaskColumns}
            FROM incident_task t {Indexed(dialect, query, open)}JOIN incident_queue q ON q.tracking_id = t.tracking_id
            {where}
            ORDER BY {DueKey}, t.tracking_id, t.number
            LIMIT @limit
            """;
    }

    /// <summary>
    /// The statement that sums the kept counts for <paramref name="query"/>'s filters: the tasks of
    /// the view; for overdue tasks the open ones due on the UTC days before
    /// <see cref="TaskQuery.Now"/>'s (to which <see cref="DueToday"/> adds today's). An
    /// organisation's own are summed over the standings and labels it sees.
    /// </summary>
    public static string Kept(DbCommand command, TaskQuery query)
    {
        var where = new StringBuilder("c.assignee = @countAssignee AND c.analyst = @countAnalyst AND c.sector = @countSector");
        QuerySql.Add(command, "@countAssignee", query.AssignedToStakeholder ?? "");
        QuerySql.Add(command, "@countAnalyst", query.AssignedToAnalyst ?? "");
        QuerySql.Add(command, "@countSector", query.SectorCode ?? "");
        if (IsOpen(query))
        {
            where.Append(" AND c.open = 1");
        }

        if (query.OverdueOnly)
        {
            where.Append(" AND c.due_day < @today");
            QuerySql.Add(command, "@today", DueDay.Of(query.Now));
        }

        if (query.AssignedToStakeholder is not null)
        {
            where.Append(" AND ").Append(IncidentVisibilitySql.Sees("c"));
        }

        return $"SELECT coalesce(sum(c.tasks), 0) FROM incident_task_counts c WHERE {where}";
    }

    /// <summary>
    /// The statement that counts the open tasks of the view due today (UTC) before
    /// <see cref="TaskQuery.Now"/>, read from the open rows' index (the organisation's or the
    /// analyst's, when the query names one), at most @cap rows (see <see cref="DeadlineQuerySql.DueToday"/>).
    /// </summary>
    public static string DueToday(DbCommand command, TaskQuery query, SqlDialect dialect)
    {
        var range = new StringBuilder(OpenAndLive).Append($" AND {DueKey} >= @todayFrom AND {DueKey} < @todayNow");
        QuerySql.Add(command, "@todayFrom", DueDay.StartOf(query.Now));
        QuerySql.Add(command, "@todayNow", query.Now.ToUnixTimeMilliseconds());
        var match = new List<string>();
        if (query.AssignedToStakeholder is not null)
        {
            range.Append(" AND t.assignee_stakeholder = @todayStakeholder");
            QuerySql.Add(command, "@todayStakeholder", query.AssignedToStakeholder);
            match.Add(IncidentVisibilitySql.Sees("t.assignee_standing", "t.tlp"));
        }

        if (query.AssignedToAnalyst is not null)
        {
            // Part of the range when the analyst's index is read, a filter on each row read otherwise.
            if (query.AssignedToStakeholder is null)
            {
                range.Append(" AND t.assignee_analyst = @todayAnalyst");
            }
            else
            {
                match.Add("t.assignee_analyst = @todayAnalyst");
            }

            QuerySql.Add(command, "@todayAnalyst", query.AssignedToAnalyst);
        }

        if (query.SectorCode is not null)
        {
            // The row's sectors: a JSON array in SQLite, a text array in PostgreSQL.
            match.Add(dialect == SqlDialect.Sqlite ? "EXISTS (SELECT 1 FROM json_each(t.sectors) WHERE value = @todaySector)" : "@todaySector = ANY(t.sectors)");
            QuerySql.Add(command, "@todaySector", query.SectorCode);
        }

        return $"""
            SELECT count(*), coalesce(sum(matches), 0) FROM (
                SELECT {QuerySql.Matches(match, dialect)} AS matches
                FROM incident_task t {Indexed(dialect, query, open: true)}WHERE {range}
                LIMIT @cap){(dialect == SqlDialect.Postgres ? " AS today" : "")}
            """;
    }

    /// <summary>Whether the query lists open tasks only (overdue ones are open too).</summary>
    private static bool IsOpen(TaskQuery query) => query.OpenOnly || query.OverdueOnly;

    /// <summary>SQLite's hint naming <see cref="IndexFor"/> (with a space after it); nothing for PostgreSQL, whose planner picks well.</summary>
    private static string Indexed(SqlDialect dialect, TaskQuery query, bool open) =>
        dialect == SqlDialect.Sqlite ? $"INDEXED BY {IndexFor(query, open)} " : "";

    /// <summary>The index that gives the order within the narrowest filter the query names (named: left to itself, SQLite may read another and sort).</summary>
    private static string IndexFor(TaskQuery query, bool open) =>
        (query.AssignedToStakeholder is not null, query.AssignedToAnalyst is not null, open) switch
        {
            (true, _, true) => "ix_incident_task_stakeholder_open_order",
            (true, _, false) => "ix_incident_task_stakeholder_order",
            (false, true, true) => "ix_incident_task_analyst_open_order",
            (false, true, false) => "ix_incident_task_analyst_order",
            (false, false, true) => "ix_incident_task_open_order",
            (false, false, false) => "ix_incident_task_order",
        };
}
