using System.Text;
using Cirt.Grains.Incidents;
using Npgsql;

namespace Cirt.Server.Storage;

/// <summary>
/// The statements behind <see cref="PostgresIncidentQueue.TasksAsync"/>, written so that each costs
/// what its page costs (deploy/sql/postgresql/200-incident-queue.sql, as deploy/sql/sqlite/013-task-deadline-counts.sql): the page seeks an index in
/// its order (soonest due first, tasks without a due date last), led by the organisation or the
/// analyst the tasks are assigned to when the query names one; the total is a sum over the counts
/// kept by triggers per UTC day tasks fall due, for overdue tasks the open ones of the days before
/// today plus today's counted up to now (see <see cref="DueToday"/>).
/// </summary>
internal static class PostgresTaskQuerySql
{
    /// <summary>A task's due time as its lists sort it, the expression the task indexes hold: tasks without one last.</summary>
    public const string DueKey = "coalesce(t.due_at, 9223372036854775807)";

    private static readonly string OpenAndLive = $"t.status IN ({(int)IncidentTaskStatus.Open}, {(int)IncidentTaskStatus.InProgress}) AND t.live = 1";

    /// <summary>The statement that reads the page of <paramref name="query"/>, its parameters added to <paramref name="command"/>.</summary>
    public static string Page(NpgsqlCommand command, TaskQuery query)
    {
        var open = IsOpen(query);
        var where = new StringBuilder(PostgresIncidentQueue.StillLive);
        if (open)
        {
            // Written as the partial indexes' condition is, so that PostgreSQL may read them.
            where.Append(" AND ").Append(OpenAndLive);
        }

        if (query.OverdueOnly)
        {
            // On the indexed expression, so that overdue tasks are a range of the ordered index.
            where.Append($" AND {DueKey} < @now");
            command.Parameters.AddWithValue("@now", query.Now.ToUnixTimeMilliseconds());
        }

        if (query.SectorCode is not null)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM incident_sector s WHERE s.sector = @sector AND ").Append(IncidentQuerySql.SameIncident("s", "q")).Append(')');
            command.Parameters.AddWithValue("@sector", query.SectorCode);
        }

        if (query.AssignedToStakeholder is not null)
        {
            // The row's own copies of how the organisation stands to the incident and of its label (kept with the queue row), as the counts use them.
            where.Append(" AND t.assignee_stakeholder = @stakeholder AND @stakeholder <> '' AND ").Append(IncidentVisibilitySql.Sees("t.assignee_standing", "t.tlp"));
            command.Parameters.AddWithValue("@stakeholder", query.AssignedToStakeholder);
        }

        if (query.AssignedToAnalyst is not null)
        {
            where.Append(" AND t.assignee_analyst = @analyst");
            command.Parameters.AddWithValue("@analyst", query.AssignedToAnalyst);
        }

        if (query.After is { } after)
        {
            where.Append($" AND ({DueKey}, t.tracking_id, t.number) > (@afterDue, @afterId, @afterNumber)");
            command.Parameters.AddWithValue("@afterDue", after.DueKey);
            command.Parameters.AddWithValue("@afterId", after.TrackingId);
            command.Parameters.AddWithValue("@afterNumber", after.Number);
        }

        command.Parameters.AddWithValue("@limit", query.Limit);
        return $"""
            SELECT {PostgresIncidentQueue.QueueColumns}, {PostgresIncidentQueue.TaskColumns}
            FROM incident_task t JOIN incident_queue q ON q.tracking_id = t.tracking_id
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
    public static string Kept(NpgsqlCommand command, TaskQuery query)
    {
        var where = new StringBuilder("c.assignee = @countAssignee AND c.analyst = @countAnalyst AND c.sector = @countSector");
        command.Parameters.AddWithValue("@countAssignee", query.AssignedToStakeholder ?? "");
        command.Parameters.AddWithValue("@countAnalyst", query.AssignedToAnalyst ?? "");
        command.Parameters.AddWithValue("@countSector", query.SectorCode ?? "");
        if (IsOpen(query))
        {
            where.Append(" AND c.open = 1");
        }

        if (query.OverdueOnly)
        {
            where.Append(" AND c.due_day < @today");
            command.Parameters.AddWithValue("@today", DueDay.Of(query.Now));
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
    public static string DueToday(NpgsqlCommand command, TaskQuery query)
    {
        var range = new StringBuilder(OpenAndLive).Append($" AND {DueKey} >= @todayFrom AND {DueKey} < @todayNow");
        command.Parameters.AddWithValue("@todayFrom", DueDay.StartOf(query.Now));
        command.Parameters.AddWithValue("@todayNow", query.Now.ToUnixTimeMilliseconds());
        var match = new List<string>();
        if (query.AssignedToStakeholder is not null)
        {
            range.Append(" AND t.assignee_stakeholder = @todayStakeholder");
            command.Parameters.AddWithValue("@todayStakeholder", query.AssignedToStakeholder);
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

            command.Parameters.AddWithValue("@todayAnalyst", query.AssignedToAnalyst);
        }

        if (query.SectorCode is not null)
        {
            match.Add("@todaySector = ANY(t.sectors)");
            command.Parameters.AddWithValue("@todaySector", query.SectorCode);
        }

        return $"""
            SELECT count(*), coalesce(sum(matches), 0) FROM (
                SELECT {(match.Count == 0 ? "1" : "(" + string.Join(" AND ", match) + ")::integer")} AS matches
                FROM incident_task t WHERE {range}
                LIMIT @cap) AS today
            """;
    }

    /// <summary>Whether the query lists open tasks only (overdue ones are open too).</summary>
    private static bool IsOpen(TaskQuery query) => query.OpenOnly || query.OverdueOnly;
}
