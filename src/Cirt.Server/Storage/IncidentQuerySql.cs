using System.Data.Common;
using System.Text;
using Cirt.Grains.Incidents;

namespace Cirt.Server.Storage;

/// <summary>
/// The statements behind <see cref="SqliteIncidentQueue.QueryAsync"/> and
/// <see cref="PostgresIncidentQueue.QueryAsync"/>, over the same tables and indexes in both
/// (deploy/sql/sqlite/011-queue-keyset.sql, deploy/sql/postgresql/200-incident-queue.sql), written so
/// that each costs what its page costs:
/// <list type="bullet">
/// <item>The page is read from the narrowest source the filter names: the viewing organisation's
/// or the asked organisation's rows of incident_party, else the sector's rows of incident_sector,
/// else incident_queue itself; each keeps three orders (see <see cref="IndexFor"/>).</item>
/// <item>A filter on statuses or severities reads one ordered seek per status (per pair of status
/// and severity: for "newest first", every pair the filter allows) and lets SQLite merge them
/// (UNION ALL under one ORDER BY), so nothing is sorted but the page. PostgreSQL does not merge a
/// UNION's arms in order: there each arm is ordered and limited to a page on its own, and only those
/// few rows are sorted; and PostgreSQL picks the indexes itself.</item>
/// <item>The page starts after <see cref="IncidentQuery.After"/> (a row-value comparison on the
/// index's columns), never at an offset.</item>
/// <item>The total is read from the counts kept by triggers where one serves the filter, and
/// counted over the narrowest source otherwise (see <see cref="Total"/>).</item>
/// </list>
/// </summary>
internal static class IncidentQuerySql
{
    private static readonly IncidentStatus[] EveryStatus = Enum.GetValues<IncidentStatus>();
    private static readonly Severity[] EverySeverity = Enum.GetValues<Severity>();

    /// <summary>
    /// The statement that reads the page of <paramref name="query"/>, its parameters added to
    /// <paramref name="command"/> (a viewer bound to no organisation is answered before any statement).
    /// </summary>
    public static string Page(DbCommand command, IncidentQuery query, SqlDialect dialect)
    {
        var source = SourceOf(command, query);
        var columns = source.IsQueue ? Columns("m", "m") : Columns("m", "q");
        var join = source.IsQueue ? "" : " JOIN incident_queue q ON q.tracking_id = m.tracking_id";
        var armOrder = query.Order == IncidentOrder.MostSevereFirst
            ? "m.severity DESC, m.reported_severity DESC, m.reported_at DESC, m.tracking_id DESC"
            : "m.reported_at DESC, m.tracking_id DESC";
        var arms = new List<string>();
        foreach (var (status, severity) in Arms(query))
        {
            // Named, not left to SQLite's planner: with several conditions to weigh it may pick a key that does not give the order.
            var from = dialect == SqlDialect.Sqlite ? $"{source.Table} m {IndexFor(source, query.Order, status is not null)}{join}" : $"{source.Table} m{join}";
            var where = new StringBuilder(source.Condition);
            if (status is { } s)
            {
                where.Append(" AND m.status = ").Append((int)s);
            }

            if (severity is { } v)
            {
                where.Append(" AND m.severity = ").Append((int)v);
            }

            if (!AppendAfter(where, query, severity))
            {
                continue; // every row of this seek came before the position
            }

            arms.Add(dialect == SqlDialect.Sqlite
                ? $"SELECT {columns} FROM {from} WHERE {where}"
                : $"(SELECT {columns} FROM {from} WHERE {where} ORDER BY {armOrder} LIMIT @limit)");
        }

        QuerySql.Add(command, "@limit", query.Limit);
        if (query.After is { } after)
        {
            QuerySql.Add(command, "@afterSeverity", (int)after.Severity);
            QuerySql.Add(command, "@afterClaimed", (int)after.ReportedSeverity);
            QuerySql.Add(command, "@afterAt", after.ReportedAtMs);
            QuerySql.Add(command, "@afterId", after.TrackingId);
        }

        if (arms.Count == 0)
        {
            return $"SELECT {Columns("m", "m")} FROM incident_queue m WHERE 1 = 0 LIMIT @limit";
        }

        // Result columns by position: 1 tracking_id, 4 severity, 12 reported_at, 16 reported_severity.
        var order = query.Order == IncidentOrder.MostSevereFirst ? "4 DESC, 16 DESC, 12 DESC, 1 DESC" : "12 DESC, 1 DESC";
        var union = string.Join("\nUNION ALL\n", arms);
        return dialect == SqlDialect.Sqlite
            ? union + $"\nORDER BY {order}\nLIMIT @limit"
            : $"SELECT * FROM (\n{union}\n) AS page\nORDER BY {order}\nLIMIT @limit";
    }

    /// <summary>
    /// The statement that counts what <paramref name="query"/> matches over all pages. Exact always;
    /// read from a kept count (incident_counts, incident_sector_counts, incident_party_counts: a few
    /// dozen rows) when the filter is on statuses, severities and at most one of a sector, an
    /// organisation, or the operator's own organisation; otherwise counted over the narrowest source,
    /// which costs the incidents of that one organisation (or sector), not the queue.
    /// </summary>
    public static string Total(DbCommand command, IncidentQuery query)
    {
        var source = SourceOf(command, query); // adds the parameters either statement names
        var viewer = query.VisibleToStakeholder;
        var stakeholder = query.StakeholderId;
        var sector = query.SectorCode;
        var where = new StringBuilder();
        string? counts = null;
        if (viewer is null && stakeholder is null && sector is null)
        {
            counts = "incident_counts c";
        }
        else if (viewer is null && stakeholder is null)
        {
            counts = "incident_sector_counts c";
            where.Append(" AND c.sector = @sector");
        }
        else if (viewer is null && sector is null)
        {
            counts = "incident_party_counts c";
            where.Append(" AND c.stakeholder = @stakeholder");
        }
        else if (viewer is not null && sector is null && (stakeholder is null || stakeholder == viewer))
        {
            counts = "incident_party_counts c";
            where.Append(" AND c.stakeholder = @viewer AND ").Append(IncidentVisibilitySql.Sees("c"));
        }

        if (counts is null)
        {
            var filter = new StringBuilder(source.Condition);
            AppendIn(filter, "m", query);
            return $"SELECT count(*) FROM {source.Table} m WHERE {filter}";
        }

        AppendIn(where, "c", query);
        if (query.ExcludeExercises)
        {
            where.Append(" AND c.exercise = 0");
        }

        return $"SELECT coalesce(sum(c.incidents), 0) FROM {counts} WHERE 1 = 1{where}";
    }

    /// <summary>Where the page is read from, and the condition that picks its rows there (with its parameters added).</summary>
    private static Source SourceOf(DbCommand command, IncidentQuery query)
    {
        var viewer = query.VisibleToStakeholder;
        var stakeholder = query.StakeholderId;
        var sector = query.SectorCode;
        Set(command, "@viewer", viewer);
        Set(command, "@stakeholder", stakeholder);
        Set(command, "@sector", sector);
        Source source;
        if (viewer is not null)
        {
            source = new Source("incident_party", "m.stakeholder = @viewer AND " + IncidentVisibilitySql.Sees("m"), false);
            if (stakeholder is not null && stakeholder != viewer)
            {
                source = source.And("EXISTS (SELECT 1 FROM incident_party x WHERE x.stakeholder = @stakeholder AND " + SameIncident("x", "m") + ")");
            }
        }
        else if (stakeholder is not null)
        {
            source = new Source("incident_party", "m.stakeholder = @stakeholder", false);
        }
        else if (sector is not null)
        {
            source = new Source("incident_sector", "m.sector = @sector", false);
        }
        else
        {
            source = new Source("incident_queue", "1 = 1", true);
        }

        if (sector is not null && (viewer is not null || stakeholder is not null))
        {
            source = source.And("EXISTS (SELECT 1 FROM incident_sector y WHERE y.sector = @sector AND " + SameIncident("y", "m") + ")");
        }

        return query.ExcludeExercises ? source.And("m.exercise = 0") : source;
    }

    /// <summary>
    /// The condition that membership row <paramref name="member"/> is of the incident of row
    /// <paramref name="of"/> (a queue or membership row): its whole primary key after the sector or
    /// organisation, so that it is one look-up.
    /// </summary>
    public static string SameIncident(string member, string of) =>
        $"{member}.status = {of}.status AND {member}.severity = {of}.severity AND {member}.reported_at = {of}.reported_at AND {member}.tracking_id = {of}.tracking_id";

    private static void Set(DbCommand command, string name, string? value)
    {
        if (value is not null && !command.Parameters.Contains(name))
        {
            QuerySql.Add(command, name, value);
        }
    }

    /// <summary>
    /// The ordered seeks the page merges, each served by an index whose leading columns they fix and
    /// whose next columns are the order (the schemas keep three per source).
    /// </summary>
    private static IEnumerable<(IncidentStatus? Status, Severity? Severity)> Arms(IncidentQuery query)
    {
        if (query.Order == IncidentOrder.NewestFirst)
        {
            if (query.Statuses.Count == 0 && query.Severities.Count == 0)
            {
                return [(null, null)];
            }

            // Newest first within statuses or severities: the index leads with both, so every pair is a seek.
            var statuses = query.Statuses.Count > 0 ? query.Statuses.Order().ToArray() : EveryStatus;
            var severities = query.Severities.Count > 0 ? query.Severities.Order().ToArray() : EverySeverity;
            return statuses.SelectMany(status => severities.Select(severity => ((IncidentStatus?)status, (Severity?)severity)));
        }

        // Most severe first: the index leads with status, then the order; a severity filter fixes the next column.
        var byStatus = query.Statuses.Count > 0 ? query.Statuses.Order().ToArray() : EveryStatus;
        return query.Severities.Count > 0
            ? byStatus.SelectMany(status => query.Severities.Order().Select(severity => ((IncidentStatus?)status, (Severity?)severity)))
            : byStatus.Select(status => ((IncidentStatus?)status, (Severity?)null));
    }

    /// <summary>Appends the condition that a row comes after the query's position; false when no row of a seek fixed at <paramref name="severity"/> can.</summary>
    private static bool AppendAfter(StringBuilder where, IncidentQuery query, Severity? severity)
    {
        if (query.After is not { } after)
        {
            return true;
        }

        if (query.Order == IncidentOrder.NewestFirst)
        {
            where.Append(" AND (m.reported_at, m.tracking_id) < (@afterAt, @afterId)");
            return true;
        }

        if (severity is not { } fixedSeverity)
        {
            where.Append(" AND (m.severity, m.reported_severity, m.reported_at, m.tracking_id) < (@afterSeverity, @afterClaimed, @afterAt, @afterId)");
            return true;
        }

        // Severity is fixed by the seek, so only the columns after it are compared.
        if (fixedSeverity > after.Severity)
        {
            return false;
        }

        if (fixedSeverity == after.Severity)
        {
            where.Append(" AND (m.reported_severity, m.reported_at, m.tracking_id) < (@afterClaimed, @afterAt, @afterId)");
        }

        return true;
    }

    private static void AppendIn(StringBuilder where, string table, IncidentQuery query)
    {
        if (query.Statuses.Count > 0)
        {
            where.Append($" AND {table}.status IN (").AppendJoin(", ", query.Statuses.Select(s => (int)s)).Append(')');
        }

        if (query.Severities.Count > 0)
        {
            where.Append($" AND {table}.severity IN (").AppendJoin(", ", query.Severities.Select(s => (int)s)).Append(')');
        }
    }

    /// <summary>The queue row's columns in the order both queues' <c>Read</c> reads them; the sort keys from the source <paramref name="m"/>, so that its index gives the order.</summary>
    private static string Columns(string m, string q) =>
        $"{m}.tracking_id, {q}.title, {m}.status, {m}.severity, {q}.tlp, {q}.reporter, {q}.sectors, {q}.stakeholders, {q}.rsit_class, {q}.rsit_type, "
        + $"{q}.assignee, {m}.reported_at, {q}.updated_at, {q}.version, {m}.exercise, {m}.reported_severity, {q}.origin_instance";

    /// <summary>
    /// The index a seek reads (deploy/sql/sqlite/011-queue-keyset.sql): "newest first" overall, or
    /// within a status and severity (for the membership tables their primary key: NOT INDEXED), or
    /// "most severe first" within a status.
    /// </summary>
    private static string IndexFor(Source source, IncidentOrder order, bool byStatus) => order switch
    {
        IncidentOrder.MostSevereFirst => $"INDEXED BY ix_{source.Table}_status_severe",
        _ when !byStatus => $"INDEXED BY ix_{source.Table}_newest",
        _ when source.IsQueue => "INDEXED BY ix_incident_queue_status_severity_newest",
        _ => "NOT INDEXED",
    };

    private sealed record Source(string Table, string Condition, bool IsQueue)
    {
        public Source And(string condition) => this with { Condition = Condition + " AND " + condition };
    }
}
