using Cirt.Grains.Incidents;
using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Storage;

/// <summary>
/// The queue contract on a real SQLite file, and what only the file can show: every list shape is
/// read along an index in its order (no sort of the matches, no scan of the queue), and a data
/// folder written before the membership tables existed is migrated into them.
/// </summary>
public sealed class SqliteIncidentQueueContractTests : IncidentQueueContractTests, IDisposable
{
    private readonly TempSqliteDatabase _file = new();

    public SqliteIncidentQueueContractTests() => Sqlite = new SqliteIncidentQueue(_file.Database);

    private SqliteIncidentQueue Sqlite { get; }

    protected override IIncidentQueue Queue => Sqlite;

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task EveryListShapeReadsAnIndexInItsOrderOnFirstAndDeepPages()
    {
        var incidents = await SeedAsync(200, new Random(3));
        var deep = incidents[100];
        var failures = new List<string>();
        foreach (var shape in Shapes())
        {
            foreach (var page in new[] { shape, shape with { After = IncidentPosition.Of(deep) } })
            {
                Check(Describe(page) + (page.After is null ? ", first page" : ", deep page"), await Sqlite.PlanAsync(page));
            }
        }

        foreach (var now in Nows)
        {
            foreach (var tasks in TaskShapes(now))
            {
                var shape = $"tasks open {tasks.OpenOnly} overdue {tasks.OverdueOnly} of {tasks.AssignedToStakeholder ?? "-"} analyst {tasks.AssignedToAnalyst ?? "-"} sector {tasks.SectorCode ?? "-"}";
                if (tasks.AssignedToStakeholder is "")
                {
                    continue; // answered before any statement
                }

                Check(shape, await Sqlite.PlanAsync(tasks));
                Check(shape + ", deep page", await Sqlite.PlanAsync(tasks with { After = new TaskPosition(At.ToUnixTimeMilliseconds(), deep.TrackingId, 1) }));
                foreach (var plan in await Sqlite.TotalPlansAsync(tasks))
                {
                    Check(shape + ", total", plan, isTotal: true);
                }
            }

            foreach (var deadlines in DeadlineShapes(now))
            {
                var shape = $"deadlines {deadlines.View} of {deadlines.ReportedBy ?? "-"} sector {deadlines.SectorCode ?? "-"}";
                if (deadlines.ReportedBy is "")
                {
                    continue;
                }

                Check(shape, await Sqlite.PlanAsync(deadlines));
                Check(shape + ", deep page", await Sqlite.PlanAsync(deadlines with
                {
                    After = new DeadlinePosition(At.ToUnixTimeMilliseconds(), deep.TrackingId, DeadlineKind.Nis2Notification),
                }));
                foreach (var plan in await Sqlite.TotalPlansAsync(deadlines))
                {
                    Check(shape + ", total", plan, isTotal: true);
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // A total is read from a range of kept counts or of an index: it must seek (SEARCH), not walk a whole index.
        void Check(string shape, IReadOnlyList<string> plan, bool isTotal = false)
        {
            // A sort of the matches, or a read of a whole table (SCAN without an index), costs what the queue holds.
            // Reading the rows a bounded subquery produced (SCAN (subquery-n), for the count of what fell due today) is no scan of a table.
            if (plan.Any(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal))
                || plan.Any(step => step.StartsWith("SCAN ", StringComparison.Ordinal) && !step.Contains(" INDEX ", StringComparison.Ordinal)
                    && !step.StartsWith("SCAN (subquery-", StringComparison.Ordinal))
                || (isTotal && !plan.Any(step => step.StartsWith("SEARCH ", StringComparison.Ordinal))))
            {
                failures.Add($"{shape}:\n    {string.Join("\n    ", plan)}");
            }
        }
    }

    [Fact]
    public async Task AQueueWrittenBeforeTheMembershipTablesIsMigratedIntoThem()
    {
        // A data folder as it was before script 011: the older scripts applied, rows written as they were then.
        var incidents = Enumerable.Range(1, 60).Select(n => Incident(n, new Random(n))).ToArray();
        await WithOlderFolderAsync("011", async (database, scripts) =>
        {
            await InsertAsWrittenBeforeAsync(database, incidents, withDeadlinesAndTasks: false);
            database.Migrate(scripts);
            var queue = new SqliteIncidentQueue(database);
            foreach (var shape in new[]
            {
                new IncidentQuery([], "ENERGY", [], null, IncidentOrder.NewestFirst, 500),
                new IncidentQuery([IncidentStatus.Reported, IncidentStatus.Triaged], null, [], "gridco", IncidentOrder.MostSevereFirst, 500),
                new IncidentQuery([], null, [], null, IncidentOrder.NewestFirst, 500) { VisibleToStakeholder = "firstbank" },
                new IncidentQuery([], "HEALTH", [Severity.High], null, IncidentOrder.MostSevereFirst, 500),
            })
            {
                var expected = incidents.Where(shape.Matches).Select(i => i.TrackingId).Order(StringComparer.Ordinal).ToArray();
                var (page, total) = await queue.QueryAsync(shape);

                Assert.NotEmpty(expected);
                Assert.Equal(expected, page.Select(i => i.TrackingId).Order(StringComparer.Ordinal));
                Assert.Equal(expected.Length, total);
            }
        });
    }

    [Fact]
    public async Task TaskAndDeadlineRowsWrittenBeforeTheKeptCountsAreCountedByTheMigration()
    {
        // A data folder as it was before scripts 011 and 012: queue, deadline and task rows written as they were then.
        var incidents = Enumerable.Range(1, 80).Select(n => Incident(n, new Random(n))).ToArray();
        await WithOlderFolderAsync("011", async (database, scripts) =>
        {
            await InsertAsWrittenBeforeAsync(database, incidents, withDeadlinesAndTasks: true);
            database.Migrate(scripts);
            var queue = new SqliteIncidentQueue(database);
            var failures = new List<string>();
            foreach (var now in Nows)
            {
                foreach (var shape in TaskShapes(now))
                {
                    var expected = incidents.SelectMany(i => i.Tasks.Where(t => shape.Matches(i, t)).Select(t => $"{i.TrackingId}/{t.Number}")).Order(StringComparer.Ordinal).ToArray();
                    var (page, total, _) = await queue.TasksAsync(shape with { Limit = 500 });
                    if (total != expected.Length || !expected.SequenceEqual(page.Select(r => $"{r.Incident.TrackingId}/{r.Task.Number}").Order(StringComparer.Ordinal)))
                    {
                        failures.Add($"tasks open {shape.OpenOnly} overdue {shape.OverdueOnly} of {shape.AssignedToStakeholder ?? "-"} analyst {shape.AssignedToAnalyst ?? "-"} "
                            + $"sector {shape.SectorCode ?? "-"} at {now:O}: {total} ({page.Count} listed), expected {expected.Length}");
                    }
                }

                foreach (var shape in DeadlineShapes(now))
                {
                    var expected = incidents.SelectMany(i => i.Deadlines.Where(d => shape.Matches(i, d)).Select(d => $"{i.TrackingId}/{d.Kind}")).Order(StringComparer.Ordinal).ToArray();
                    var (page, total, _) = await queue.DeadlinesAsync(shape with { Limit = 500 });
                    if (total != expected.Length || !expected.SequenceEqual(page.Select(r => $"{r.Incident.TrackingId}/{r.Deadline.Kind}").Order(StringComparer.Ordinal)))
                    {
                        failures.Add($"deadlines {shape.View} of {shape.ReportedBy ?? "-"} sector {shape.SectorCode ?? "-"} at {now:O}: {total} ({page.Count} listed), expected {expected.Length}");
                    }
                }
            }

            Assert.NotEmpty(incidents.SelectMany(i => i.Tasks));
            Assert.NotEmpty(incidents.SelectMany(i => i.Deadlines));
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        });
    }

    [Fact]
    public async Task MoreOverdueTodayThanTheCountReadsMakesTheTotalALowerBoundThatSaysSo()
    {
        // Six incidents of gridco's, each with a deadline and a task due yesterday and another due earlier today.
        var now = At.AddHours(8);
        for (var n = 1; n <= 6; n++)
        {
            await Queue.UpsertAsync(new IncidentSummary(
                TrackingIds.Format(2026, n), $"incident {n}", IncidentStatus.Triaged, Severity.High, Tlp.Amber, "gridco", ["ENERGY"], [], "", "", "",
                At.AddDays(-2), At.AddDays(-2), 1,
                [
                    new Deadline(DeadlineKind.Nis2EarlyWarning, At.AddDays(-1), null, "awareness"),
                    new Deadline(DeadlineKind.Nis2Notification, At.AddHours(n), null, "awareness"),
                ])
            {
                Tasks =
                [
                    new IncidentTask(1, "contain", "gridco", "", At.AddDays(-1), IncidentTaskStatus.Open, At, "alice", "analyst", At),
                    new IncidentTask(2, "report", "gridco", "", At.AddHours(n), IncidentTaskStatus.InProgress, At, "alice", "analyst", At),
                ],
            });
        }

        // Reading at most four of today's: yesterday's six kept, four of today's six counted.
        var bounded = new SqliteIncidentQueue(_file.Database) { DueTodayCountLimit = 4 };
        var roomy = new SqliteIncidentQueue(_file.Database) { DueTodayCountLimit = 7 };
        foreach (var deadlines in new[] { new DeadlineQuery(DeadlineView.Overdue, now, 5), new DeadlineQuery(DeadlineView.Overdue, now, 5) { ReportedBy = "gridco" } })
        {
            var (_, total, lowerBound) = await bounded.DeadlinesAsync(deadlines);
            Assert.Equal((10, true), (total, lowerBound));
            var (_, exact, notBound) = await roomy.DeadlinesAsync(deadlines);
            Assert.Equal((12, false), (exact, notBound));
            Assert.Equal(12, await CountPagesAsync<DeadlineRow, DeadlinePosition>(after => bounded.DeadlinesAsync(deadlines with { After = after }), r => DeadlinePosition.Of(r)));
        }

        foreach (var tasks in new[] { new TaskQuery(true, true, now, 5), new TaskQuery(true, true, now, 5) { AssignedToStakeholder = "gridco" } })
        {
            var (_, total, lowerBound) = await bounded.TasksAsync(tasks);
            Assert.Equal((10, true), (total, lowerBound));
            var (_, exact, notBound) = await roomy.TasksAsync(tasks);
            Assert.Equal((12, false), (exact, notBound));
            Assert.Equal(12, await CountPagesAsync<TaskRow, TaskPosition>(after => bounded.TasksAsync(tasks with { After = after }), r => TaskPosition.Of(r)));
        }

        // Only the overdue view depends on the clock: the open view's total is kept whole, whatever the limit.
        var (_, openDeadlines, openDeadlinesBound) = await bounded.DeadlinesAsync(new DeadlineQuery(DeadlineView.Open, now, 5));
        Assert.Equal((12, false), (openDeadlines, openDeadlinesBound));
        var (_, openTasks, openTasksBound) = await bounded.TasksAsync(new TaskQuery(true, false, now, 5));
        Assert.Equal((12, false), (openTasks, openTasksBound));
    }

    /// <summary>How many rows paging by position visits, to the last page.</summary>
    private static async Task<int> CountPagesAsync<TRow, TPosition>(
        Func<TPosition?, Task<(IReadOnlyList<TRow> Page, int Total, bool TotalIsLowerBound)>> read, Func<TRow, TPosition> position)
        where TPosition : class
    {
        var visited = 0;
        TPosition? after = null;
        while (true)
        {
            var (page, _, _) = await read(after);
            visited += page.Count;
            if (page.Count < 5)
            {
                return visited;
            }

            after = position(page[^1]);
        }
    }

    /// <summary>
    /// Runs <paramref name="test"/> on a data folder migrated with the scripts before
    /// <paramref name="firstMissing"/> only, given the folder's database and the directory of every script.
    /// </summary>
    private static async Task WithOlderFolderAsync(string firstMissing, Func<SqliteDatabase, string, Task> test)
    {
        var scripts = Path.Combine(AppContext.BaseDirectory, "sql", "sqlite");
        var older = Path.Combine(Path.GetTempPath(), "cirt-sql-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(Path.GetTempPath(), "cirt-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(older);
        try
        {
            foreach (var script in Directory.GetFiles(scripts, "*.sql").Where(s => string.CompareOrdinal(Path.GetFileName(s), firstMissing) < 0))
            {
                File.Copy(script, Path.Combine(older, Path.GetFileName(script)));
            }

            var database = new SqliteDatabase(Path.Combine(folder, "cirt.db"));
            database.Migrate(older);
            await test(database, scripts);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(older, recursive: true);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes <paramref name="incidents"/> as the adapter wrote them before script 011: queue rows, and optionally deadline and task rows without the copies of 012.</summary>
    private static async Task InsertAsWrittenBeforeAsync(SqliteDatabase database, IReadOnlyList<IncidentSummary> incidents, bool withDeadlinesAndTasks)
    {
        await using var connection = await database.OpenAsync();
        foreach (var i in incidents)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO incident_queue (tracking_id, title, status, severity, tlp, reporter, sectors, stakeholders, rsit_class, rsit_type, assignee,
                                            reported_at, updated_at, version, exercise, reported_severity)
                VALUES ($id, '', $status, $severity, $tlp, $reporter, $sectors, $stakeholders, '', '', '', $at, $at, 1, $exercise, $claimed);
                """;
            insert.Parameters.AddWithValue("$id", i.TrackingId);
            insert.Parameters.AddWithValue("$status", (int)i.Status);
            insert.Parameters.AddWithValue("$severity", (int)i.Severity);
            insert.Parameters.AddWithValue("$tlp", (int)i.Tlp);
            insert.Parameters.AddWithValue("$reporter", i.ReporterStakeholderId);
            insert.Parameters.AddWithValue("$sectors", "|" + string.Join("|", i.SectorCodes) + "|");
            insert.Parameters.AddWithValue("$stakeholders", "|" + string.Join("|", i.AffectedStakeholderIds) + "|");
            insert.Parameters.AddWithValue("$at", i.ReportedAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$exercise", i.Exercise ? 1 : 0);
            insert.Parameters.AddWithValue("$claimed", (int)i.ReportedSeverity);
            await insert.ExecuteNonQueryAsync();
            if (!withDeadlinesAndTasks)
            {
                continue;
            }

            foreach (var d in i.Deadlines)
            {
                await using var deadline = connection.CreateCommand();
                deadline.CommandText = """
                    INSERT INTO incident_deadline (tracking_id, kind, due_at, met_at, escalated_at, basis) VALUES ($id, $kind, $due, $met, NULL, $basis);
                    """;
                deadline.Parameters.AddWithValue("$id", i.TrackingId);
                deadline.Parameters.AddWithValue("$kind", (int)d.Kind);
                deadline.Parameters.AddWithValue("$due", d.DueAt.ToUnixTimeMilliseconds());
                deadline.Parameters.AddWithValue("$met", (object?)d.MetAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
                deadline.Parameters.AddWithValue("$basis", d.Basis);
                await deadline.ExecuteNonQueryAsync();
            }

            foreach (var t in i.Tasks)
            {
                await using var task = connection.CreateCommand();
                task.CommandText = """
                    INSERT INTO incident_task (tracking_id, number, title, assignee_stakeholder, assignee_analyst, due_at, status, created_at, created_by, origin, updated_at)
                    VALUES ($id, $number, $title, $stakeholder, $analyst, $due, $status, $at, $by, $origin, $at);
                    """;
                task.Parameters.AddWithValue("$id", i.TrackingId);
                task.Parameters.AddWithValue("$number", t.Number);
                task.Parameters.AddWithValue("$title", t.Title);
                task.Parameters.AddWithValue("$stakeholder", t.AssigneeStakeholderId);
                task.Parameters.AddWithValue("$analyst", t.AssigneeAnalyst);
                task.Parameters.AddWithValue("$due", (object?)t.DueAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
                task.Parameters.AddWithValue("$status", (int)t.Status);
                task.Parameters.AddWithValue("$at", t.CreatedAt.ToUnixTimeMilliseconds());
                task.Parameters.AddWithValue("$by", t.CreatedBy);
                task.Parameters.AddWithValue("$origin", t.Origin);
                await task.ExecuteNonQueryAsync();
            }
        }
    }
}
