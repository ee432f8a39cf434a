using System.Collections.Concurrent;
using System.Text.Json;
using Cirt.Grains.Incidents;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Storage;

/// <summary>The incident queue of the embedded profile: table incident_queue in the SQLite file.</summary>
public sealed class SqliteIncidentQueue(SqliteDatabase database) : IIncidentQueue
{
    private const int MaxGroup = 1_000;
    private readonly ConcurrentQueue<PendingUpsert> _pending = new();

    /// <summary>
    /// Publishes an incident's summary; returns once it is committed. Concurrent publications are
    /// committed together (group commit: one transaction, one fsync): whoever gets the file's
    /// writer slot writes everything waiting, so an aggregation pass that updates thousands of
    /// incidents costs a handful of commits instead of thousands. Once queued, a summary is written
    /// even if its caller stops waiting: the incident's state is already saved, and the read model
    /// must follow it.
    /// </summary>
    public async Task UpsertAsync(IncidentSummary summary, CancellationToken cancellationToken = default)
    {
        var upsert = new PendingUpsert(summary);
        _pending.Enqueue(upsert);
        await database.WriteAsync(async () =>
        {
            // Groups are bounded: keep writing until this caller's own summary is among the written.
            while (!upsert.Done.Task.IsCompleted)
            {
                await WriteWaitingAsync();
            }
        });
        await upsert.Done.Task;
    }

    /// <summary>
    /// Writes every waiting summary in one transaction and tells each caller how it went. Should
    /// the group fail, each summary is tried again on its own, so one bad summary fails only its
    /// own caller.
    /// </summary>
    private async Task WriteWaitingAsync()
    {
        var group = new List<PendingUpsert>();
        while (group.Count < MaxGroup && _pending.TryDequeue(out var next))
        {
            group.Add(next);
        }

        try
        {
            await CommitAsync(group);
        }
        catch (Exception) when (group.Count > 1)
        {
            foreach (var upsert in group)
            {
                await CommitAsync([upsert]);
            }
        }
    }

    private async Task CommitAsync(IReadOnlyList<PendingUpsert> group)
    {
        try
        {
            await using var connection = await database.OpenAsync();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            foreach (var upsert in group)
            {
                await WriteAsync(connection, transaction, upsert.Summary);
            }

            await transaction.CommitAsync();
        }
        catch (Exception ex) when (group.Count == 1)
        {
            group[0].Done.TrySetException(ex);
            return;
        }

        foreach (var upsert in group)
        {
            upsert.Done.TrySetResult();
        }
    }

    private static async Task WriteAsync(SqliteConnection connection, SqliteTransaction transaction, IncidentSummary summary)
    {
        var before = await MembershipsOfAsync(connection, transaction, summary.TrackingId);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO incident_queue
                (tracking_id, title, status, severity, tlp, reporter, sectors, stakeholders, rsit_class, rsit_type, assignee, reported_at, updated_at, version, exercise,
                 reported_severity, origin_instance, change_number)
            VALUES ($id, $title, $status, $severity, $tlp, $reporter, $sectors, $stakeholders, $class, $type, $assignee, $reported, $updated, $version, $exercise,
                    $reportedSeverity, $originInstance, (SELECT coalesce(max(change_number), 0) + 1 FROM incident_queue))
            ON CONFLICT (tracking_id) DO UPDATE SET
                title = excluded.title, status = excluded.status, severity = excluded.severity, tlp = excluded.tlp,
                reporter = excluded.reporter, sectors = excluded.sectors, stakeholders = excluded.stakeholders,
                rsit_class = excluded.rsit_class, rsit_type = excluded.rsit_type, assignee = excluded.assignee,
                reported_at = excluded.reported_at, updated_at = excluded.updated_at, version = excluded.version, exercise = excluded.exercise,
                reported_severity = excluded.reported_severity, origin_instance = excluded.origin_instance, change_number = excluded.change_number
            WHERE excluded.version >= incident_queue.version;
            """;
        var p = command.Parameters;
        p.AddWithValue("$id", summary.TrackingId);
        p.AddWithValue("$title", summary.Title);
        p.AddWithValue("$status", (int)summary.Status);
        p.AddWithValue("$severity", (int)summary.Severity);
        p.AddWithValue("$tlp", (int)summary.Tlp);
        p.AddWithValue("$reporter", summary.ReporterStakeholderId);
        p.AddWithValue("$sectors", ListColumn.Encode(summary.SectorCodes));
        p.AddWithValue("$stakeholders", ListColumn.Encode(summary.AffectedStakeholderIds));
        p.AddWithValue("$class", summary.RsitClass);
        p.AddWithValue("$type", summary.RsitType);
        p.AddWithValue("$assignee", summary.Assignee);
        p.AddWithValue("$reported", summary.ReportedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$updated", summary.UpdatedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$version", summary.Version);
        p.AddWithValue("$exercise", summary.Exercise ? 1 : 0);
        p.AddWithValue("$reportedSeverity", (int)summary.ReportedSeverity);
        p.AddWithValue("$originInstance", summary.OriginInstanceId);
        if (await command.ExecuteNonQueryAsync() > 0)
        {
            // Most writes (an aggregation pass adding events) change nothing the membership rows hold.
            var after = Memberships.Of(summary);
            if (before != after)
            {
                await ReplaceMembershipsAsync(connection, transaction, summary.TrackingId, before, after);
            }

            await ReplaceDeadlinesAsync(connection, transaction, summary);
            await ReplaceTasksAsync(connection, transaction, summary);
        }
    }

    /// <summary>A summary waiting for the writer; Done completes once it is committed.</summary>
    private sealed class PendingUpsert(IncidentSummary summary)
    {
        public IncidentSummary Summary { get; } = summary;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Reads table incident_counts, which triggers keep with every write of incident_queue (deploy/sql/sqlite/010-incident-counts.sql).</summary>
    public async Task<IReadOnlyList<IncidentCount>> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, severity, exercise, incidents FROM incident_counts;";
        var counts = new List<IncidentCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new IncidentCount((IncidentStatus)reader.GetInt32(0), (Severity)reader.GetInt32(1), reader.GetInt32(2) != 0, reader.GetInt64(3)));
        }

        return counts;
    }

    /// <summary>
    /// How many rows <see cref="DeadlinesAsync"/> and <see cref="TasksAsync"/> read at most to count
    /// the overdue ones due today (UTC) before now, which no kept count holds
    /// (deploy/sql/sqlite/013-task-deadline-counts.sql). Should more than this many fall due in one
    /// day, the total is a lower bound and says so.
    /// </summary>
    public int DueTodayCountLimit { get; init; } = 10_000;

    /// <summary>
    /// A page of deadlines, soonest due first, read by keyset along an index in that order
    /// (<see cref="DeadlineQuerySql"/>). The total is a sum over counts kept with every write, per
    /// day due: it costs a row per day, not a row per deadline in the view. The overdue view's adds
    /// today's overdue ones, counted (at most <see cref="DueTodayCountLimit"/> rows).
    /// </summary>
    public async Task<(IReadOnlyList<DeadlineRow> Page, int Total, bool TotalIsLowerBound)> DeadlinesAsync(
        DeadlineQuery query, CancellationToken cancellationToken = default)
    {
        if (query.ReportedBy is "")
        {
            return ([], 0, false); // bound to no organisation: sees nothing
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        // One read transaction: the page and the counts come from one snapshot of the file.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var page = await PageAsync(transaction, command => DeadlineQuerySql.Page(command, query, SqlDialect.Sqlite),
            reader => new DeadlineRow(Read(reader), ReadDeadline(reader, QueueColumnCount)), cancellationToken);
        var (total, lowerBound) = await TotalAsync(
            transaction, command => DeadlineQuerySql.Kept(command, query),
            query.View == DeadlineView.Overdue ? command => DeadlineQuerySql.DueToday(command, query, SqlDialect.Sqlite) : null,
            cancellationToken);
        return (page, total, lowerBound);
    }

    /// <summary>
    /// A page of tasks, soonest due first and those without a due date last, read by keyset along an
    /// index in that order (<see cref="TaskQuerySql"/>). The total is a sum over counts kept with
    /// every write, as for <see cref="DeadlinesAsync"/>, overdue tasks included.
    /// </summary>
    public async Task<(IReadOnlyList<TaskRow> Page, int Total, bool TotalIsLowerBound)> TasksAsync(
        TaskQuery query, CancellationToken cancellationToken = default)
    {
        if (query.AssignedToStakeholder is "")
        {
            return ([], 0, false); // bound to no organisation: sees nothing
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var page = await PageAsync(transaction, command => TaskQuerySql.Page(command, query, SqlDialect.Sqlite),
            reader => new TaskRow(Read(reader), ReadTask(reader, QueueColumnCount)), cancellationToken);
        var (total, lowerBound) = await TotalAsync(
            transaction, command => TaskQuerySql.Kept(command, query),
            query.OverdueOnly ? command => TaskQuerySql.DueToday(command, query, SqlDialect.Sqlite) : null,
            cancellationToken);
        return (page, total, lowerBound);
    }

    private static async Task<IReadOnlyList<T>> PageAsync<T>(
        SqliteTransaction transaction, Func<SqliteCommand, string> statement, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = statement(command) + ";";
        var page = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(read(reader));
        }

        return page;
    }

    /// <summary>
    /// The kept count, plus, for a view that depends on the clock (<paramref name="dueToday"/> given),
    /// the rows due today before now that match: a lower bound when it read <see cref="DueTodayCountLimit"/> rows.
    /// </summary>
    private async Task<(int Total, bool LowerBound)> TotalAsync(
        SqliteTransaction transaction, Func<SqliteCommand, string> kept, Func<SqliteCommand, string>? dueToday, CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = kept(command) + ";";
        var total = (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (dueToday is null)
        {
            return (total, false);
        }

        await using var today = transaction.Connection!.CreateCommand();
        today.Transaction = transaction;
        today.CommandText = dueToday(today) + ";";
        today.Parameters.AddWithValue("@cap", DueTodayCountLimit);
        await using var reader = await today.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (total + reader.GetInt32(1), reader.GetInt32(0) >= DueTodayCountLimit);
    }

    private static async Task ReplaceTasksAsync(SqliteConnection connection, SqliteTransaction transaction, IncidentSummary summary)
    {
        await DeleteRowsOfAsync(connection, transaction, "incident_task", summary.TrackingId);

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO incident_task
                (tracking_id, number, title, assignee_stakeholder, assignee_analyst, due_at, status, created_at, created_by, origin, updated_at,
                 live, assignee_standing, tlp, sectors)
            VALUES ($id, $number, $title, $stakeholder, $analyst, $due, $status, $created, $by, $origin, $updated,
                    $live, $standing, $tlp, $sectors);
            """;
        insert.Parameters.AddWithValue("$id", summary.TrackingId);
        AddIncidentCopies(insert, summary);
        var standing = insert.Parameters.Add("$standing", SqliteType.Integer);
        var number = insert.Parameters.Add("$number", SqliteType.Integer);
        var title = insert.Parameters.Add("$title", SqliteType.Text);
        var stakeholder = insert.Parameters.Add("$stakeholder", SqliteType.Text);
        var analyst = insert.Parameters.Add("$analyst", SqliteType.Text);
        var due = insert.Parameters.Add("$due", SqliteType.Integer);
        var status = insert.Parameters.Add("$status", SqliteType.Integer);
        var created = insert.Parameters.Add("$created", SqliteType.Integer);
        var by = insert.Parameters.Add("$by", SqliteType.Text);
        var origin = insert.Parameters.Add("$origin", SqliteType.Text);
        var updated = insert.Parameters.Add("$updated", SqliteType.Integer);
        foreach (var t in summary.Tasks)
        {
            number.Value = t.Number;
            title.Value = t.Title;
            stakeholder.Value = t.AssigneeStakeholderId;
            standing.Value = IncidentVisibilitySql.Standing(t.AssigneeStakeholderId, summary.ReporterStakeholderId, summary.AffectedStakeholderIds);
            analyst.Value = t.AssigneeAnalyst;
            due.Value = (object?)t.DueAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            status.Value = (int)t.Status;
            created.Value = t.CreatedAt.ToUnixTimeMilliseconds();
            by.Value = t.CreatedBy;
            origin.Value = t.Origin;
            updated.Value = t.UpdatedAt.ToUnixTimeMilliseconds();
            await insert.ExecuteNonQueryAsync();
        }
    }

    /// <summary>What an incident's membership rows hold, as its queue row has it now; null when there is no row yet.</summary>
    private static async Task<Memberships?> MembershipsOfAsync(SqliteConnection connection, SqliteTransaction transaction, string trackingId)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = """
            SELECT status, severity, reported_severity, reported_at, exercise, tlp, reporter, sectors, stakeholders
            FROM incident_queue WHERE tracking_id = $id;
            """;
        read.Parameters.AddWithValue("$id", trackingId);
        await using var reader = await read.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new Memberships(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt32(4), reader.GetInt32(5),
                reader.GetString(6), reader.GetString(7), reader.GetString(8))
            : null;
    }

    /// <summary>
    /// Rewrites the incident's rows of incident_sector and incident_party (the filters' sources),
    /// with the queue row in the same transaction and only when it was written (the version gate):
    /// the rows of <paramref name="before"/> deleted by their whole key, those of <paramref name="after"/> inserted.
    /// </summary>
    private static async Task ReplaceMembershipsAsync(
        SqliteConnection connection, SqliteTransaction transaction, string trackingId, Memberships? before, Memberships after)
    {
        if (before is not null)
        {
            await WriteMembershipsAsync(connection, transaction, trackingId, before, """
                DELETE FROM incident_sector
                WHERE sector = $member AND status = $status AND severity = $severity AND reported_at = $reported AND tracking_id = $id;
                """, """
                DELETE FROM incident_party
                WHERE stakeholder = $member AND status = $status AND severity = $severity AND reported_at = $reported AND tracking_id = $id;
                """);
        }

        await WriteMembershipsAsync(connection, transaction, trackingId, after, """
            INSERT INTO incident_sector (sector, tracking_id, status, severity, reported_severity, reported_at, exercise)
            VALUES ($member, $id, $status, $severity, $reportedSeverity, $reported, $exercise);
            """, """
            INSERT INTO incident_party (stakeholder, tracking_id, is_reporter, tlp, status, severity, reported_severity, reported_at, exercise)
            VALUES ($member, $id, $isReporter, $tlp, $status, $severity, $reportedSeverity, $reported, $exercise);
            """);
    }

    /// <summary>Runs <paramref name="perSector"/> for each sector of <paramref name="memberships"/> and <paramref name="perParty"/> for each party.</summary>
    private static async Task WriteMembershipsAsync(
        SqliteConnection connection, SqliteTransaction transaction, string trackingId, Memberships memberships, string perSector, string perParty)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var p = command.Parameters;
        p.AddWithValue("$id", trackingId);
        p.AddWithValue("$status", memberships.Status);
        p.AddWithValue("$severity", memberships.Severity);
        p.AddWithValue("$reportedSeverity", memberships.ReportedSeverity);
        p.AddWithValue("$reported", memberships.ReportedAt);
        p.AddWithValue("$exercise", memberships.Exercise);
        p.AddWithValue("$tlp", memberships.Tlp);
        var member = p.Add("$member", SqliteType.Text);
        var isReporter = p.Add("$isReporter", SqliteType.Integer);
        command.CommandText = perSector;
        foreach (var sector in memberships.SectorCodes())
        {
            member.Value = sector;
            await command.ExecuteNonQueryAsync();
        }

        command.CommandText = perParty;
        foreach (var (stakeholder, reporter) in memberships.Parties())
        {
            member.Value = stakeholder;
            isReporter.Value = reporter ? 1 : 0;
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// What an incident's membership rows hold (deploy/sql/sqlite/011-queue-keyset.sql), as the queue
    /// row stores it: compared to tell whether a write must rewrite them (most do not: an aggregation
    /// pass adding events changes none of it), and the keys to delete them by when it must.
    /// </summary>
    private sealed record Memberships(
        int Status, int Severity, int ReportedSeverity, long ReportedAt, int Exercise, int Tlp, string Reporter, string Sectors, string Stakeholders)
    {
        public static Memberships Of(IncidentSummary s) => new(
            (int)s.Status, (int)s.Severity, (int)s.ReportedSeverity, s.ReportedAt.ToUnixTimeMilliseconds(), s.Exercise ? 1 : 0, (int)s.Tlp,
            s.ReporterStakeholderId, ListColumn.Encode(s.SectorCodes), ListColumn.Encode(s.AffectedStakeholderIds));

        public IEnumerable<string> SectorCodes() => ListColumn.Decode(Sectors).Distinct(StringComparer.Ordinal);

        /// <summary>The reporter (when there is one), then every affected organisation that is not the reporter.</summary>
        public IEnumerable<(string Stakeholder, bool IsReporter)> Parties()
        {
            var affected = ListColumn.Decode(Stakeholders).Where(a => a != Reporter).Distinct(StringComparer.Ordinal).Select(a => (a, false));
            return Reporter.Length > 0 ? affected.Prepend((Reporter, true)) : affected;
        }
    }

    private static async Task ReplaceDeadlinesAsync(SqliteConnection connection, SqliteTransaction transaction, IncidentSummary summary)
    {
        await DeleteRowsOfAsync(connection, transaction, "incident_deadline", summary.TrackingId);

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO incident_deadline (tracking_id, kind, due_at, met_at, escalated_at, basis, live, reporter, tlp, sectors)
            VALUES ($id, $kind, $due, $met, $escalated, $basis, $live, $reporter, $tlp, $sectors);
            """;
        insert.Parameters.AddWithValue("$id", summary.TrackingId);
        insert.Parameters.AddWithValue("$reporter", summary.ReporterStakeholderId);
        AddIncidentCopies(insert, summary);
        var kind = insert.Parameters.Add("$kind", SqliteType.Integer);
        var due = insert.Parameters.Add("$due", SqliteType.Integer);
        var met = insert.Parameters.Add("$met", SqliteType.Integer);
        var escalated = insert.Parameters.Add("$escalated", SqliteType.Integer);
        var basis = insert.Parameters.Add("$basis", SqliteType.Text);
        foreach (var d in summary.Deadlines)
        {
            kind.Value = (int)d.Kind;
            due.Value = d.DueAt.ToUnixTimeMilliseconds();
            met.Value = (object?)d.MetAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            escalated.Value = (object?)d.EscalatedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            basis.Value = d.Basis;
            await insert.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// The copies of the queue row a deadline or task row keeps, from which the triggers of
    /// deploy/sql/sqlite/013-task-deadline-counts.sql count it: whether the incident is live (not
    /// rejected, not a duplicate), its label and its sectors.
    /// </summary>
    private static void AddIncidentCopies(SqliteCommand insert, IncidentSummary summary)
    {
        insert.Parameters.AddWithValue("$live", summary.Status is IncidentStatus.Rejected or IncidentStatus.Duplicate ? 0 : 1);
        insert.Parameters.AddWithValue("$tlp", (int)summary.Tlp);
        insert.Parameters.AddWithValue("$sectors", JsonSerializer.Serialize(summary.SectorCodes.Distinct(StringComparer.Ordinal)));
    }

    /// <summary>Deletes an incident's rows from one of the tables it publishes to (they are then written afresh).</summary>
    private static async Task DeleteRowsOfAsync(SqliteConnection connection, SqliteTransaction transaction, string table, string trackingId)
    {
        await using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = $"DELETE FROM {table} WHERE tracking_id = $id;";
        delete.Parameters.AddWithValue("$id", trackingId);
        await delete.ExecuteNonQueryAsync();
    }

    /// <summary>The queue row's columns, in the order <see cref="Read"/> reads them, for queries that join the queue.</summary>
    internal const string QueueColumns =
        "q.tracking_id, q.title, q.status, q.severity, q.tlp, q.reporter, q.sectors, q.stakeholders, q.rsit_class, q.rsit_type, q.assignee, q.reported_at, q.updated_at, q.version, q.exercise, q.reported_severity, q.origin_instance";

    private const int QueueColumnCount = 17;

    /// <summary>A deadline row's columns, in the order <see cref="ReadDeadline"/> reads them.</summary>
    internal const string DeadlineColumns = "d.kind, d.due_at, d.met_at, d.escalated_at, d.basis";

    /// <summary>A task row's columns, in the order <see cref="ReadTask"/> reads them.</summary>
    internal const string TaskColumns =
        "t.number, t.title, t.assignee_stakeholder, t.assignee_analyst, t.due_at, t.status, t.created_at, t.created_by, t.origin, t.updated_at";

    /// <summary>Rejected incidents and duplicates carry no obligations and no work: lists of deadlines and tasks leave them out.</summary>
    internal static readonly string StillLive = $"WHERE q.status NOT IN ({(int)IncidentStatus.Rejected}, {(int)IncidentStatus.Duplicate})";

    /// <summary>Runs a command whose first statement counts and whose second returns the page.</summary>
    private static async Task<(IReadOnlyList<T> Page, int Total)> CountAndPageAsync<T>(
        SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        var page = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(read(reader));
        }

        return (page, total);
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(column));

    /// <summary>A page of the queue read by keyset from the narrowest source the filter names (see <see cref="IncidentQuerySql"/>).</summary>
    public async Task<(IReadOnlyList<IncidentSummary> Page, int Total)> QueryAsync(IncidentQuery query, CancellationToken cancellationToken = default)
    {
        if (query.VisibleToStakeholder is "")
        {
            return ([], 0); // bound to no organisation: sees nothing
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var total = IncidentQuerySql.Total(command, query);
        var page = IncidentQuerySql.Page(command, query, SqlDialect.Sqlite);
        command.CommandText = total + ";\n" + page + ";";
        var (rows, count) = await CountAndPageAsync(command, Read, cancellationToken);
        return query.WithDeadlinesAndTasks
            ? (await WithDeadlinesAndTasksAsync(connection, transaction, [.. rows], cancellationToken), count)
            : (rows, count);
    }

    /// <summary>
    /// How SQLite reads the page of <paramref name="query"/> (EXPLAIN QUERY PLAN, one line a step):
    /// for the test that fails when an index the queue relies on goes missing, and for diagnosis.
    /// </summary>
    public Task<IReadOnlyList<string>> PlanAsync(IncidentQuery query, CancellationToken cancellationToken = default) =>
        PlanAsync(command => IncidentQuerySql.Page(command, query, SqlDialect.Sqlite), cancellationToken);

    /// <inheritdoc cref="PlanAsync(IncidentQuery, CancellationToken)"/>
    public Task<IReadOnlyList<string>> PlanAsync(DeadlineQuery query, CancellationToken cancellationToken = default) =>
        PlanAsync(command => DeadlineQuerySql.Page(command, query, SqlDialect.Sqlite), cancellationToken);

    /// <inheritdoc cref="PlanAsync(IncidentQuery, CancellationToken)"/>
    public Task<IReadOnlyList<string>> PlanAsync(TaskQuery query, CancellationToken cancellationToken = default) =>
        PlanAsync(command => TaskQuerySql.Page(command, query, SqlDialect.Sqlite), cancellationToken);

    /// <summary>How SQLite reads the statements behind the total of <paramref name="query"/>: the kept count, and for the overdue view today's count.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> TotalPlansAsync(DeadlineQuery query, CancellationToken cancellationToken = default) =>
        query.View == DeadlineView.Overdue
            ?
            [
                await PlanAsync(command => DeadlineQuerySql.Kept(command, query), cancellationToken),
                await PlanAsync(command => WithCap(command, DeadlineQuerySql.DueToday(command, query, SqlDialect.Sqlite)), cancellationToken),
            ]
            : [await PlanAsync(command => DeadlineQuerySql.Kept(command, query), cancellationToken)];

    /// <inheritdoc cref="TotalPlansAsync(DeadlineQuery, CancellationToken)"/>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> TotalPlansAsync(TaskQuery query, CancellationToken cancellationToken = default) =>
        query.OverdueOnly
            ?
            [
                await PlanAsync(command => TaskQuerySql.Kept(command, query), cancellationToken),
                await PlanAsync(command => WithCap(command, TaskQuerySql.DueToday(command, query, SqlDialect.Sqlite)), cancellationToken),
            ]
            : [await PlanAsync(command => TaskQuerySql.Kept(command, query), cancellationToken)];

    private string WithCap(SqliteCommand command, string statement)
    {
        command.Parameters.AddWithValue("@cap", DueTodayCountLimit);
        return statement;
    }

    private async Task<IReadOnlyList<string>> PlanAsync(Func<SqliteCommand, string> statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + statement(command) + ";";
        var steps = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            steps.Add(reader.GetString(3));
        }

        return steps;
    }

    public async Task<IncidentChanges> ChangesAsync(long afterChange, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One read transaction: the rows, the latest number and the deadlines and tasks all come from one snapshot of the file.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT coalesce(max(change_number), 0) FROM incident_queue;
            SELECT {QueueColumns}, q.change_number FROM incident_queue q
            WHERE q.change_number > $after
            ORDER BY q.change_number
            LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$after", afterChange);
        command.Parameters.AddWithValue("$limit", limit);
        var incidents = new List<IncidentSummary>();
        long latest;
        var last = afterChange;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            latest = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                incidents.Add(Read(reader));
                last = reader.GetInt64(QueueColumnCount);
            }
        }

        var more = limit > 0 && incidents.Count == limit && last < latest;
        return new IncidentChanges(await WithDeadlinesAndTasksAsync(connection, transaction, incidents, cancellationToken), more ? last : latest, more);
    }

    public async Task<IReadOnlyList<IncidentSummary>> FallingDueAsync(IReadOnlyList<DueWindow> windows, CancellationToken cancellationToken = default)
    {
        if (windows.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var within = string.Join(" OR ", windows.Select((_, i) => $"due_at BETWEEN $from{i} AND $to{i}"));
        for (var i = 0; i < windows.Count; i++)
        {
            command.Parameters.AddWithValue($"$from{i}", windows[i].From.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue($"$to{i}", windows[i].To.ToUnixTimeMilliseconds());
        }

        command.CommandText = $"""
            SELECT {QueueColumns} FROM incident_queue q
            {StillLive} AND q.tracking_id IN (
                SELECT tracking_id FROM incident_deadline WHERE met_at IS NULL AND live = 1 AND ({within})
                UNION
                SELECT tracking_id FROM incident_task
                WHERE status IN ({(int)IncidentTaskStatus.Open}, {(int)IncidentTaskStatus.InProgress}) AND ({within}));
            """;
        var incidents = new List<IncidentSummary>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                incidents.Add(Read(reader));
            }
        }

        return await WithDeadlinesAndTasksAsync(connection, transaction, incidents, cancellationToken);
    }

    /// <summary>The incidents with their deadlines and tasks, read in the same transaction.</summary>
    private static async Task<IReadOnlyList<IncidentSummary>> WithDeadlinesAndTasksAsync(
        SqliteConnection connection, SqliteTransaction transaction, List<IncidentSummary> incidents, CancellationToken cancellationToken)
    {
        if (incidents.Count == 0)
        {
            return incidents;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT d.tracking_id, {DeadlineColumns} FROM incident_deadline d
            WHERE d.tracking_id IN (SELECT value FROM json_each($ids)) ORDER BY d.tracking_id, d.kind;
            SELECT t.tracking_id, {TaskColumns} FROM incident_task t
            WHERE t.tracking_id IN (SELECT value FROM json_each($ids)) ORDER BY t.tracking_id, t.number;
            """;
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(incidents.Select(i => i.TrackingId)));
        var deadlines = new Dictionary<string, List<Deadline>>(StringComparer.Ordinal);
        var tasks = new Dictionary<string, List<IncidentTask>>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                Add(deadlines, reader.GetString(0), ReadDeadline(reader, 1));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Add(tasks, reader.GetString(0), ReadTask(reader, 1));
            }
        }

        return incidents.Select(i => i with
        {
            Deadlines = deadlines.TryGetValue(i.TrackingId, out var d) ? [.. d] : [],
            Tasks = tasks.TryGetValue(i.TrackingId, out var t) ? [.. t] : [],
        }).ToArray();

        static void Add<T>(Dictionary<string, List<T>> byIncident, string trackingId, T row)
        {
            if (!byIncident.TryGetValue(trackingId, out var rows))
            {
                byIncident[trackingId] = rows = [];
            }

            rows.Add(row);
        }
    }

    private static IncidentSummary Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), (IncidentStatus)r.GetInt32(2), (Severity)r.GetInt32(3), (Tlp)r.GetInt32(4),
        r.GetString(5), ListColumn.Decode(r.GetString(6)), ListColumn.Decode(r.GetString(7)),
        r.GetString(8), r.GetString(9), r.GetString(10),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)), r.GetInt64(13), [])
    {
        Exercise = r.GetInt64(14) == 1,
        ReportedSeverity = (Severity)r.GetInt32(15),
        OriginInstanceId = r.GetString(16),
    };

    /// <summary>A deadline from <see cref="DeadlineColumns"/>, starting at column <paramref name="first"/>.</summary>
    private static Deadline ReadDeadline(SqliteDataReader r, int first) => new(
        (DeadlineKind)r.GetInt32(first),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(first + 1)),
        Time(r, first + 2),
        r.GetString(first + 4),
        Time(r, first + 3));

    /// <summary>A task from <see cref="TaskColumns"/>, starting at column <paramref name="first"/>.</summary>
    private static IncidentTask ReadTask(SqliteDataReader r, int first) => new(
        r.GetInt32(first), r.GetString(first + 1), r.GetString(first + 2), r.GetString(first + 3), Time(r, first + 4),
        (IncidentTaskStatus)r.GetInt32(first + 5), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(first + 6)),
        r.GetString(first + 7), r.GetString(first + 8), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(first + 9)));
}
