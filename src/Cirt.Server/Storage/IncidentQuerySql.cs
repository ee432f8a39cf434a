using System.Text;
using Cirt.Grains.Incidents;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Storage;

/// <summary>
/// The statements behind <see cref="SqliteIncidentQueue.QueryAsync"/>, written so that each costs
/// what its page costs (deploy/sql/sqlite/011-queue-keyset.sql):
/// <list type="bullet">
/// <item>The page is read from the narrowest source the filter names: the viewing organisation's
/// or the asked organisation's rows of incident_party, else the sector's rows of incident_sector,
/// else incident_queue itself; each has an index per order.</item>
/// <item>A filter on several statuses or severities reads one ordered seek per value (per pair of
/// values) and lets SQLite merge them (UNION ALL under one ORDER BY), so nothing is sorted but the
/// page.</item>
/// <item>The page starts after <see cref="IncidentQuery.After"/> (a row-value comparison on the
/// index's columns), never at an offset.</item>
/// <item>The total is read from the counts kept by triggers where one serves the filter, and
/// counted over the narrowest source otherwise (see <see cref="Total"/>).</item>
/// </list>
/// </summary>
internal static class IncidentQuerySql
{
    private static readonly IncidentStatus[] EveryStatus = Enum.GetValues<IncidentStatus>();

    /// <summary>
    /// The statement that reads the page of <paramref name="query"/>, its parameters added to
    /// <paramref name="command"/>; none when the viewer may see nothing.
    /// </summary>
    public static string Page(SqliteCommand command, IncidentQuery query)
    {
        var source = SourceOf(command, query);
        var columns = source.IsQueue ? Columns("m", "m") : Columns("m", "q");
        var from = source.IsQueue ? source.From : source.From + " JOIN incident_queue q ON q.tracking_id = m.tracking_id";
        var arms = new List<string>();
        foreach (var (status, severity) in Arms(query))
        {
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

            arms.Add($"SELECT {columns} FROM {from} WHERE {where}");
        }

        command.Parameters.AddWithValue("$limit", query.Limit);
        if (query.After is { } after)
        {
            command.Parameters.AddWithValue("$afterSeverity", (int)after.Severity);
            command.Parameters.AddWithValue("$afterClaimed", (int)after.ReportedSeverity);
            command.Parameters.AddWithValue("$afterAt", after.ReportedAtMs);
            command.Parameters.AddWithValue("$afterId", after.TrackingId);
        }

        if (arms.Count == 0)
        {
            return $"SELECT {Columns("m", "m")} FROM incident_queue m WHERE 0 LIMIT $limit";
        }

        // Result columns by position: 1 tracking_id, 4 severity, 12 reported_at, 16 reported_severity.
        var order = query.Order == IncidentOrder.MostSevereFirst ? "4 DESC, 16 DESC, 12 DESC, 1 DESC" : "12 DESC, 1 DESC";
        return string.Join("\nUNION ALL\n", arms) + $"\nORDER BY {order}\nLIMIT $limit";
    }

    /// <summary>
    /// The statement that counts what <paramref name="query"/> matches over all pages. Exact always;
    /// read from a kept count (incident_counts, incident_sector_counts, incident_party_counts: a few
    /// dozen rows) when the filter is on statuses, severities and at most one of a sector, an
    /// organisation, or the operator's own organisation; otherwise counted over the narrowest source,
    /// which costs the incidents of that one organisation (or sector), not the queue.
    /// </summary>
    public static string Total(SqliteCommand command, IncidentQuery query)
    {
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
            where.Append(" AND c.sector = $sector");
        }
        else if (viewer is null && sector is null)
        {
            counts = "incident_party_counts c";
            where.Append(" AND c.stakeholder = $stakeholder");
        }
        else if (viewer is not null && sector is null && (stakeholder is null || stakeholder == viewer))
        {
            counts = "incident_party_counts c";
            where.Append(" AND c.stakeholder = $viewer AND ").Append(IncidentVisibilitySql.Sees("c"));
        }

        if (counts is null)
        {
            var source = SourceOf(command, query);
            var filter = new StringBuilder(source.Condition);
            AppendIn(filter, "m", query);
            return $"SELECT count(*) FROM {source.From} WHERE {filter}";
        }

        AppendIn(where, "c", query);
        if (query.ExcludeExercises)
        {
            where.Append(" AND c.exercise = 0");
        }

        return $"SELECT coalesce(sum(c.incidents), 0) FROM {counts} WHERE 1 = 1{where}";
    }

    /// <summary>Where the page is read from, and the condition that picks its rows there (with its parameters added).</summary>
    private static Source SourceOf(SqliteCommand command, IncidentQuery query)
    {
        var viewer = query.VisibleToStakeholder;
        var stakeholder = query.StakeholderId;
        var sector = query.SectorCode;
        Set(command, "$viewer", viewer);
        Set(command, "$stakeholder", stakeholder);
        Set(command, "$sector", sector);
        Source source;
        if (viewer is not null)
        {
            source = new Source("incident_party m", "m.stakeholder = $viewer AND " + IncidentVisibilitySql.Sees("m"), false);
            if (stakeholder is not null && stakeholder != viewer)
            {
                source = source.And("EXISTS (SELECT 1 FROM incident_party x WHERE x.stakeholder = $stakeholder AND x.tracking_id = m.tracking_id)");
            }
        }
        else if (stakeholder is not null)
        {
            source = new Source("incident_party m", "m.stakeholder = $stakeholder", false);
        }
        else if (sector is not null)
        {
            source = new Source("incident_sector m", "m.sector = $sector", false);
        }
        else
        {
            source = new Source("incident_queue m", "1 = 1", true);
        }

        if (sector is not null && (viewer is not null || stakeholder is not null))
        {
            source = source.And("EXISTS (SELECT 1 FROM incident_sector y WHERE y.sector = $sector AND y.tracking_id = m.tracking_id)");
        }

        return query.ExcludeExercises ? source.And("m.exercise = 0") : source;
    }

    private static void Set(SqliteCommand command, string name, string? value)
    {
        if (value is not null && !command.Parameters.Contains(name))
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    /// <summary>
    /// The ordered seeks the page merges: one per status asked (or per status and severity asked),
    /// each served by an index whose leading columns they fix and whose next columns are the order.
    /// </summary>
    private static IEnumerable<(IncidentStatus? Status, Severity? Severity)> Arms(IncidentQuery query)
    {
        IReadOnlyCollection<IncidentStatus?> statuses = query.Statuses.Count > 0 ? [.. query.Statuses.Order().Cast<IncidentStatus?>()] : [null];
        IReadOnlyCollection<Severity?> severities = query.Severities.Count > 0 ? [.. query.Severities.Order().Cast<Severity?>()] : [null];
        if (query.Order == IncidentOrder.NewestFirst && query.Severities.Count > 0 && query.Statuses.Count == 0)
        {
            // Newest first within severities: the index leads with status, so every status is a seek.
            statuses = [.. EveryStatus.Cast<IncidentStatus?>()];
        }

        return statuses.SelectMany(status => severities.Select(severity => (status, severity)));
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
            where.Append(" AND (m.reported_at, m.tracking_id) < ($afterAt, $afterId)");
            return true;
        }

        if (severity is not { } fixedSeverity)
        {
            where.Append(" AND (m.severity, m.reported_severity, m.reported_at, m.tracking_id) < ($afterSeverity, $afterClaimed, $afterAt, $afterId)");
            return true;
        }

        // Severity is fixed by the seek, so only the columns after it are compared.
        if (fixedSeverity > after.Severity)
        {
            return false;
        }

        if (fixedSeverity == after.Severity)
        {
            where.Append(" AND (m.reported_severity, m.reported_at, m.tracking_id) < ($afterClaimed, $afterAt, $afterId)");
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

    /// <summary>The queue row's columns in the order <c>SqliteIncidentQueue.Read</c> reads them; the sort keys from the source <paramref name="m"/>, so that its index gives the order.</summary>
    private static string Columns(string m, string q) =>
        $"{m}.tracking_id, {q}.title, {m}.status, {m}.severity, {q}.tlp, {q}.reporter, {q}.sectors, {q}.stakeholders, {q}.rsit_class, {q}.rsit_type, "
        + $"{q}.assignee, {m}.reported_at, {q}.updated_at, {q}.version, {m}.exercise, {m}.reported_severity, {q}.origin_instance";

    private sealed record Source(string From, string Condition, bool IsQueue)
    {
        public Source And(string condition) => this with { Condition = Condition + " AND " + condition };
    }
}
