using System.Collections.Concurrent;
using System.Data;
using Cirt.Grains.Incidents;
using Npgsql;
using NpgsqlTypes;

namespace Cirt.Server.Storage;

/// <summary>
/// The incident queue of the cluster profile: the tables of deploy/sql/postgresql/200-incident-queue.sql,
/// written and read as <see cref="SqliteIncidentQueue"/> writes and reads its file (the same rows, the
/// same statements in PostgreSQL's words, the same paging and totals), shared by every silo.
/// <para>
/// Change numbers: every writing transaction first takes the next numbers from the one counter row
/// (incident_change_counter) and holds its lock to its commit, so numbers commit in the order they
/// are taken, whichever silo writes; a follower that goes on from the latest number it saw
/// (<see cref="ChangesAsync"/>) never passes a number that commits later. (A sequence would hand
/// numbers out in one order and let them commit in another.) The same lock orders every write of
/// the kept counts, so concurrent writers never deadlock on them.
/// </para>
/// <para>
/// Pending-projection marks (deploy/sql/postgresql/210-projection-pending.sql,
/// <see cref="PostgresProjectionMarks"/>) are cleared in the transaction that writes the version they
/// wait for, or a newer one.
/// </para>
/// </summary>
public sealed class PostgresIncidentQueue(PostgresDatabase database) : IIncidentQueue
{
    private const int MaxGroup = 500;
    private readonly ConcurrentQueue<PendingUpsert> _pending = new();
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>
    /// How many rows <see cref="DeadlinesAsync"/> and <see cref="TasksAsync"/> read at most to count
    /// the overdue ones due today (UTC) before now (as <see cref="SqliteIncidentQueue.DueTodayCountLimit"/>).
    /// </summary>
    public int DueTodayCountLimit { get; init; } = 10_000;

    /// <summary>
    /// Publishes an incident's summary unless a newer version is already there; returns once it is
    /// committed. Concurrent publications of this silo are committed together (one transaction, one
    /// turn of the counter's lock), as the embedded queue groups them. Once queued, a summary is
    /// written even if its caller stops waiting.
    /// </summary>
    public async Task UpsertAsync(IncidentSummary summary, CancellationToken cancellationToken = default)
    {
        var upsert = new PendingUpsert(summary);
        _pending.Enqueue(upsert);
        await _writer.WaitAsync(CancellationToken.None);
        try
        {
            while (!upsert.Done.Task.IsCompleted)
            {
                await WriteWaitingAsync();
            }
        }
        finally
        {
            _writer.Release();
        }

        await upsert.Done.Task;
    }

    /// <summary>Writes every waiting summary in one transaction; should the group fail, each is tried on its own, so one bad summary fails only its caller.</summary>
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
            await using var transaction = await connection.BeginTransactionAsync();
            long last;
            await using (var take = new NpgsqlCommand("UPDATE incident_change_counter SET last = last + @count WHERE id = 1 RETURNING last;", connection, transaction))
            {
                take.Parameters.AddWithValue("count", (long)group.Count);
                last = (long)(await take.ExecuteScalarAsync())!;
            }

            var number = last - group.Count;
            foreach (var upsert in group)
            {
                await WriteAsync(connection, transaction, upsert.Summary, ++number);
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

    private static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IncidentSummary summary, long changeNumber)
    {
        var before = await MembershipsOfAsync(connection, transaction, summary.TrackingId);
        await using var command = new NpgsqlCommand("""
            INSERT INTO incident_queue AS q
                (tracking_id, title, status, severity, tlp, reporter, sectors, stakeholders, rsit_class, rsit_type, assignee, reported_at, updated_at, version, exercise,
                 reported_severity, origin_instance, change_number)
            VALUES (@id, @title, @status, @severity, @tlp, @reporter, @sectors, @stakeholders, @class, @type, @assignee, @reported, @updated, @version, @exercise,
                    @reportedSeverity, @originInstance, @change)
            ON CONFLICT (tracking_id) DO UPDATE SET
                title = excluded.title, status = excluded.status, severity = excluded.severity, tlp = excluded.tlp,
                reporter = excluded.reporter, sectors = excluded.sectors, stakeholders = excluded.stakeholders,
                rsit_class = excluded.rsit_class, rsit_type = excluded.rsit_type, assignee = excluded.assignee,
                reported_at = excluded.reported_at, updated_at = excluded.updated_at, version = excluded.version, exercise = excluded.exercise,
                reported_severity = excluded.reported_severity, origin_instance = excluded.origin_instance, change_number = excluded.change_number
            WHERE excluded.version >= q.version
            RETURNING true;
            DELETE FROM projection_pending
            WHERE tracking_id = @id AND version <= (SELECT version FROM incident_queue WHERE tracking_id = @id);
            """, connection, transaction);
        var p = command.Parameters;
        p.AddWithValue("id", summary.TrackingId);
        p.AddWithValue("title", summary.Title);
        p.AddWithValue("status", (int)summary.Status);
        p.AddWithValue("severity", (int)summary.Severity);
        p.AddWithValue("tlp", (int)summary.Tlp);
        p.AddWithValue("reporter", summary.ReporterStakeholderId);
        p.AddWithValue("sectors", ListColumn.Encode(summary.SectorCodes));
        p.AddWithValue("stakeholders", ListColumn.Encode(summary.AffectedStakeholderIds));
        p.AddWithValue("class", summary.RsitClass);
        p.AddWithValue("type", summary.RsitType);
        p.AddWithValue("assignee", summary.Assignee);
        p.AddWithValue("reported", summary.ReportedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("updated", summary.UpdatedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("version", summary.Version);
        p.AddWithValue("exercise", summary.Exercise ? 1 : 0);
        p.AddWithValue("reportedSeverity", (int)summary.ReportedSeverity);
        p.AddWithValue("originInstance", summary.OriginInstanceId);
        p.AddWithValue("change", changeNumber);
        bool written;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            written = await reader.ReadAsync(); // a row only when the version gate let the upsert write
        }

        if (!written)
        {
            return; // a newer version is already there
        }

        // Most writes (an aggregation pass adding events) change nothing the membership rows hold.
        var after = Memberships.Of(summary);
        if (before != after)
        {
            await ReplaceMembershipsAsync(connection, transaction, summary.TrackingId, before, after);
        }

        await ReplaceDeadlinesAsync(connection, transaction, summary);
        await ReplaceTasksAsync(connection, transaction, summary);
    }

    /// <summary>A summary waiting for the writer; Done completes once it is committed.</summary>
    private sealed class PendingUpsert(IncidentSummary summary)
    {
        public IncidentSummary Summary { get; } = summary;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>What an incident's membership rows hold, as its queue row has it now; null when there is no row yet.</summary>
    private static async Task<Memberships?> MembershipsOfAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string trackingId)
    {
        await using var read = new NpgsqlCommand("""
            SELECT status, severity, reported_severity, reported_at, exercise, tlp, reporter, sectors, stakeholders
            FROM incident_queue WHERE tracking_id = @id;
            """, connection, transaction);
        read.Parameters.AddWithValue("id", trackingId);
        await using var reader = await read.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new Memberships(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt32(4), reader.GetInt32(5),
                reader.GetString(6), reader.GetString(7), reader.GetString(8))
            : null;
    }

    /// <summary>Rewrites the incident's rows of incident_sector and incident_party (as <see cref="SqliteIncidentQueue"/> does): the rows of <paramref name="before"/> deleted by their whole key, those of <paramref name="after"/> inserted.</summary>
    private static async Task ReplaceMembershipsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string trackingId, Memberships? before, Memberships after)
    {
        if (before is not null)
        {
            await WriteMembershipsAsync(connection, transaction, trackingId, before, """
                DELETE FROM incident_sector
                WHERE sector = @member AND status = @status AND severity = @severity AND reported_at = @reported AND tracking_id = @id;
                """, """
                DELETE FROM incident_party
                WHERE stakeholder = @member AND status = @status AND severity = @severity AND reported_at = @reported AND tracking_id = @id;
                """);
        }

        await WriteMembershipsAsync(connection, transaction, trackingId, after, """
            INSERT INTO incident_sector (sector, tracking_id, status, severity, reported_severity, reported_at, exercise)
            VALUES (@member, @id, @status, @severity, @reportedSeverity, @reported, @exercise);
            """, """
            INSERT INTO incident_party (stakeholder, tracking_id, is_reporter, tlp, status, severity, reported_severity, reported_at, exercise)
            VALUES (@member, @id, @isReporter, @tlp, @status, @severity, @reportedSeverity, @reported, @exercise);
            """);
    }

    /// <summary>Runs <paramref name="perSector"/> for each sector of <paramref name="memberships"/> and <paramref name="perParty"/> for each party, in one round trip.</summary>
    private static async Task WriteMembershipsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string trackingId, Memberships memberships, string perSector, string perParty)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var sector in memberships.SectorCodes())
        {
            batch.BatchCommands.Add(MembershipCommand(perSector, trackingId, memberships, sector, false));
        }

        foreach (var (stakeholder, reporter) in memberships.Parties())
        {
            batch.BatchCommands.Add(MembershipCommand(perParty, trackingId, memberships, stakeholder, reporter));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync();
        }
    }

    private static NpgsqlBatchCommand MembershipCommand(string statement, string trackingId, Memberships memberships, string member, bool isReporter)
    {
        var command = new NpgsqlBatchCommand(statement);
        var p = command.Parameters;
        p.AddWithValue("id", trackingId);
        p.AddWithValue("status", memberships.Status);
        p.AddWithValue("severity", memberships.Severity);
        p.AddWithValue("reportedSeverity", memberships.ReportedSeverity);
        p.AddWithValue("reported", memberships.ReportedAt);
        p.AddWithValue("exercise", memberships.Exercise);
        p.AddWithValue("tlp", memberships.Tlp);
        p.AddWithValue("member", member);
        p.AddWithValue("isReporter", isReporter ? 1 : 0);
        return command;
    }

    /// <summary>What an incident's membership rows hold, as the queue row stores it (as in <see cref="SqliteIncidentQueue"/>).</summary>
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

    /// <summary>Deletes the incident's deadline rows and inserts its current ones, with the copies of the queue row the counts use, in one round trip.</summary>
    private static async Task ReplaceDeadlinesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IncidentSummary summary)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(DeleteRowsOf("incident_deadline", summary.TrackingId));
        foreach (var d in summary.Deadlines)
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO incident_deadline (tracking_id, kind, due_at, met_at, escalated_at, basis, live, reporter, tlp, sectors)
                VALUES (@id, @kind, @due, @met, @escalated, @basis, @live, @reporter, @tlp, @sectors);
                """);
            var p = insert.Parameters;
            p.AddWithValue("id", summary.TrackingId);
            p.AddWithValue("reporter", summary.ReporterStakeholderId);
            AddIncidentCopies(insert, summary);
            p.AddWithValue("kind", (int)d.Kind);
            p.AddWithValue("due", d.DueAt.ToUnixTimeMilliseconds());
            p.Add(new NpgsqlParameter("met", NpgsqlDbType.Bigint) { Value = (object?)d.MetAt?.ToUnixTimeMilliseconds() ?? DBNull.Value });
            p.Add(new NpgsqlParameter("escalated", NpgsqlDbType.Bigint) { Value = (object?)d.EscalatedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value });
            p.AddWithValue("basis", d.Basis);
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Deletes the incident's task rows and inserts its current ones, with the copies of the queue row the counts use, in one round trip.</summary>
    private static async Task ReplaceTasksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IncidentSummary summary)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(DeleteRowsOf("incident_task", summary.TrackingId));
        foreach (var t in summary.Tasks)
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO incident_task
                    (tracking_id, number, title, assignee_stakeholder, assignee_analyst, due_at, status, created_at, created_by, origin, updated_at,
                     live, assignee_standing, tlp, sectors)
                VALUES (@id, @number, @title, @stakeholder, @analyst, @due, @status, @created, @by, @origin, @updated,
                        @live, @standing, @tlp, @sectors);
                """);
            var p = insert.Parameters;
            p.AddWithValue("id", summary.TrackingId);
            AddIncidentCopies(insert, summary);
            p.AddWithValue("standing", IncidentVisibilitySql.Standing(t.AssigneeStakeholderId, summary.ReporterStakeholderId, summary.AffectedStakeholderIds));
            p.AddWithValue("number", t.Number);
            p.AddWithValue("title", t.Title);
            p.AddWithValue("stakeholder", t.AssigneeStakeholderId);
            p.AddWithValue("analyst", t.AssigneeAnalyst);
            p.Add(new NpgsqlParameter("due", NpgsqlDbType.Bigint) { Value = (object?)t.DueAt?.ToUnixTimeMilliseconds() ?? DBNull.Value });
            p.AddWithValue("status", (int)t.Status);
            p.AddWithValue("created", t.CreatedAt.ToUnixTimeMilliseconds());
            p.AddWithValue("by", t.CreatedBy);
            p.AddWithValue("origin", t.Origin);
            p.AddWithValue("updated", t.UpdatedAt.ToUnixTimeMilliseconds());
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The copies of the queue row a deadline or task row keeps, from which the counting triggers count it: whether the incident is live, its label and its sectors.</summary>
    private static void AddIncidentCopies(NpgsqlBatchCommand insert, IncidentSummary summary)
    {
        insert.Parameters.AddWithValue("live", summary.Status is IncidentStatus.Rejected or IncidentStatus.Duplicate ? 0 : 1);
        insert.Parameters.AddWithValue("tlp", (int)summary.Tlp);
        insert.Parameters.AddWithValue("sectors", summary.SectorCodes.Distinct(StringComparer.Ordinal).ToArray());
    }

    private static NpgsqlBatchCommand DeleteRowsOf(string table, string trackingId)
    {
        var delete = new NpgsqlBatchCommand($"DELETE FROM {table} WHERE tracking_id = @id;");
        delete.Parameters.AddWithValue("id", trackingId);
        return delete;
    }

    /// <summary>The queue row's columns, in the order <see cref="Read"/> reads them, for queries that join the queue.</summary>
    internal const string QueueColumns = SqliteIncidentQueue.QueueColumns;

    private const int QueueColumnCount = 17;

    /// <summary>A deadline row's columns, in the order <see cref="ReadDeadline"/> reads them.</summary>
    internal const string DeadlineColumns = SqliteIncidentQueue.DeadlineColumns;

    /// <summary>A task row's columns, in the order <see cref="ReadTask"/> reads them.</summary>
    internal const string TaskColumns = SqliteIncidentQueue.TaskColumns;

    /// <summary>Rejected incidents and duplicates carry no obligations and no work: lists of deadlines and tasks leave them out.</summary>
    internal static readonly string StillLive = SqliteIncidentQueue.StillLive;

    /// <summary>Reads table incident_counts, which triggers keep with every write of incident_queue.</summary>
    public async Task<IReadOnlyList<IncidentCount>> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT status, severity, exercise, incidents FROM incident_counts;", connection);
        var counts = new List<IncidentCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new IncidentCount((IncidentStatus)reader.GetInt32(0), (Severity)reader.GetInt32(1), reader.GetInt32(2) != 0, reader.GetInt32(3)));
        }

        return counts;
    }

    /// <summary>A page of the queue read by keyset from the narrowest source the filter names (see <see cref="IncidentQuerySql"/>), and its total, from one snapshot.</summary>
    public async Task<(IReadOnlyList<IncidentSummary> Page, int Total)> QueryAsync(IncidentQuery query, CancellationToken cancellationToken = default)
    {
        if (query.VisibleToStakeholder is "")
        {
            return ([], 0); // bound to no organisation: sees nothing
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await SnapshotAsync(connection, cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        command.CommandText = IncidentQuerySql.Total(command, query);
        var total = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
        var page = await PageAsync(connection, transaction, c => IncidentQuerySql.Page(c, query, SqlDialect.Postgres), Read, cancellationToken);
        return query.WithDeadlinesAndTasks
            ? (await WithDeadlinesAndTasksAsync(connection, transaction, [.. page], cancellationToken), total)
            : (page, total);
    }

    /// <summary>A page of deadlines, soonest due first, read by keyset (<see cref="DeadlineQuerySql"/>); the total from the kept counts (plus today's overdue, counted).</summary>
    public async Task<(IReadOnlyList<DeadlineRow> Page, int Total, bool TotalIsLowerBound)> DeadlinesAsync(
        DeadlineQuery query, CancellationToken cancellationToken = default)
    {
        if (query.ReportedBy is "")
        {
            return ([], 0, false); // bound to no organisation: sees nothing
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await SnapshotAsync(connection, cancellationToken);
        var page = await PageAsync(connection, transaction, c => DeadlineQuerySql.Page(c, query, SqlDialect.Postgres),
            reader => new DeadlineRow(Read(reader), ReadDeadline(reader, QueueColumnCount)), cancellationToken);
        var (total, lowerBound) = await TotalAsync(
            connection, transaction, c => DeadlineQuerySql.Kept(c, query),
            query.View == DeadlineView.Overdue ? c => DeadlineQuerySql.DueToday(c, query, SqlDialect.Postgres) : null,
            cancellationToken);
        return (page, total, lowerBound);
    }

    /// <summary>A page of tasks, soonest due first and those without a due date last, read by keyset (<see cref="TaskQuerySql"/>); the total as for <see cref="DeadlinesAsync"/>.</summary>
    public async Task<(IReadOnlyList<TaskRow> Page, int Total, bool TotalIsLowerBound)> TasksAsync(
        TaskQuery query, CancellationToken cancellationToken = default)
    {
        if (query.AssignedToStakeholder is "")
        {
            return ([], 0, false); // bound to no organisation: sees nothing
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await SnapshotAsync(connection, cancellationToken);
        var page = await PageAsync(connection, transaction, c => TaskQuerySql.Page(c, query, SqlDialect.Postgres),
            reader => new TaskRow(Read(reader), ReadTask(reader, QueueColumnCount)), cancellationToken);
        var (total, lowerBound) = await TotalAsync(
            connection, transaction, c => TaskQuerySql.Kept(c, query),
            query.OverdueOnly ? c => TaskQuerySql.DueToday(c, query, SqlDialect.Postgres) : null,
            cancellationToken);
        return (page, total, lowerBound);
    }

    /// <summary>A read-only transaction whose statements all read one snapshot (the page and its total agree).</summary>
    private static async Task<NpgsqlTransaction> SnapshotAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY;", connection, transaction);
        await readOnly.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    private static async Task<IReadOnlyList<T>> PageAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Func<NpgsqlCommand, string> statement, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        command.CommandText = statement(command) + ";";
        var page = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(read(reader));
        }

        return page;
    }

    /// <summary>The kept count, plus, for a view that depends on the clock, the rows due today before now that match: a lower bound when it read <see cref="DueTodayCountLimit"/> rows.</summary>
    private async Task<(int Total, bool LowerBound)> TotalAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Func<NpgsqlCommand, string> kept, Func<NpgsqlCommand, string>? dueToday,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        command.CommandText = kept(command) + ";";
        var total = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
        if (dueToday is null)
        {
            return (total, false);
        }

        await using var today = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        today.CommandText = dueToday(today) + ";";
        today.Parameters.AddWithValue("cap", DueTodayCountLimit);
        await using var reader = await today.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var read = Convert.ToInt32(reader.GetValue(0));
        return (total + Convert.ToInt32(reader.GetValue(1)), read >= DueTodayCountLimit);
    }

    /// <summary>How PostgreSQL reads the statement of <paramref name="query"/>'s page (EXPLAIN, one line a step): for the plan tests and for diagnosis.</summary>
    public Task<IReadOnlyList<string>> PlanAsync(IncidentQuery query, CancellationToken cancellationToken = default) =>
        PlanAsync(c => IncidentQuerySql.Page(c, query, SqlDialect.Postgres), cancellationToken);

    /// <inheritdoc cref="PlanAsync(IncidentQuery, CancellationToken)"/>
    public Task<IReadOnlyList<string>> PlanAsync(DeadlineQuery query, CancellationToken cancellationToken = default) =>
        PlanAsync(c => DeadlineQuerySql.Page(c, query, SqlDialect.Postgres), cancellationToken);

    /// <inheritdoc cref="PlanAsync(IncidentQuery, CancellationToken)"/>
    public Task<IReadOnlyList<string>> PlanAsync(TaskQuery query, CancellationToken cancellationToken = default) =>
        PlanAsync(c => TaskQuerySql.Page(c, query, SqlDialect.Postgres), cancellationToken);

    private async Task<IReadOnlyList<string>> PlanAsync(Func<NpgsqlCommand, string> statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        command.CommandText = "EXPLAIN " + statement(command) + ";";
        var steps = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            steps.Add(reader.GetString(0));
        }

        return steps;
    }

    /// <summary>
    /// The incidents written after change number <paramref name="afterChange"/>, from one snapshot.
    /// Numbers commit in the order they are taken (see the class), so the snapshot holds every number
    /// up to its largest: going on from <see cref="IncidentChanges.Through"/> misses none.
    /// </summary>
    public async Task<IncidentChanges> ChangesAsync(long afterChange, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await SnapshotAsync(connection, cancellationToken);
        long latest;
        await using (var max = new NpgsqlCommand("SELECT coalesce(max(change_number), 0) FROM incident_queue;", connection, transaction))
        {
            latest = (long)(await max.ExecuteScalarAsync(cancellationToken))!;
        }

        await using var command = new NpgsqlCommand($"""
            SELECT {QueueColumns}, q.change_number FROM incident_queue q
            WHERE q.change_number > @after
            ORDER BY q.change_number
            LIMIT @limit;
            """, connection, transaction);
        command.Parameters.AddWithValue("after", afterChange);
        command.Parameters.AddWithValue("limit", limit);
        var incidents = new List<IncidentSummary>();
        var last = afterChange;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
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
        await using var transaction = await SnapshotAsync(connection, cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        var within = string.Join(" OR ", windows.Select((_, i) => $"due_at BETWEEN @from{i} AND @to{i}"));
        for (var i = 0; i < windows.Count; i++)
        {
            command.Parameters.AddWithValue($"from{i}", windows[i].From.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue($"to{i}", windows[i].To.ToUnixTimeMilliseconds());
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
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<IncidentSummary> incidents, CancellationToken cancellationToken)
    {
        if (incidents.Count == 0)
        {
            return incidents;
        }

        var ids = incidents.Select(i => i.TrackingId).ToArray();
        var deadlines = new Dictionary<string, List<Deadline>>(StringComparer.Ordinal);
        var tasks = new Dictionary<string, List<IncidentTask>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            $"SELECT d.tracking_id, {DeadlineColumns} FROM incident_deadline d WHERE d.tracking_id = ANY(@ids) ORDER BY d.tracking_id, d.kind;",
            connection, transaction))
        {
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Add(deadlines, reader.GetString(0), ReadDeadline(reader, 1));
            }
        }

        await using (var command = new NpgsqlCommand(
            $"SELECT t.tracking_id, {TaskColumns} FROM incident_task t WHERE t.tracking_id = ANY(@ids) ORDER BY t.tracking_id, t.number;",
            connection, transaction))
        {
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(column));

    private static IncidentSummary Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), (IncidentStatus)r.GetInt32(2), (Severity)r.GetInt32(3), (Tlp)r.GetInt32(4),
        r.GetString(5), ListColumn.Decode(r.GetString(6)), ListColumn.Decode(r.GetString(7)),
        r.GetString(8), r.GetString(9), r.GetString(10),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)), r.GetInt64(13), [])
    {
        Exercise = r.GetInt32(14) == 1,
        ReportedSeverity = (Severity)r.GetInt32(15),
        OriginInstanceId = r.GetString(16),
    };

    /// <summary>A deadline from <see cref="DeadlineColumns"/>, starting at column <paramref name="first"/>.</summary>
    private static Deadline ReadDeadline(NpgsqlDataReader r, int first) => new(
        (DeadlineKind)r.GetInt32(first),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(first + 1)),
        Time(r, first + 2),
        r.GetString(first + 4),
        Time(r, first + 3));

    /// <summary>A task from <see cref="TaskColumns"/>, starting at column <paramref name="first"/>.</summary>
    private static IncidentTask ReadTask(NpgsqlDataReader r, int first) => new(
        r.GetInt32(first), r.GetString(first + 1), r.GetString(first + 2), r.GetString(first + 3), Time(r, first + 4),
        (IncidentTaskStatus)r.GetInt32(first + 5), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(first + 6)),
        r.GetString(first + 7), r.GetString(first + 8), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(first + 9)));
}
