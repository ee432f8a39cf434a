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

        var now = At.AddDays(2);
        foreach (var tasks in new TaskQuery[]
        {
            new(false, false, now, 50), new(true, false, now, 50), new(true, true, now, 50),
            new(true, false, now, 50) { AssignedToStakeholder = "gridco" },
        })
        {
            Check($"tasks open {tasks.OpenOnly} overdue {tasks.OverdueOnly} of {tasks.AssignedToStakeholder ?? "anyone"}", await Sqlite.PlanAsync(tasks));
            Check("deep page of those tasks", await Sqlite.PlanAsync(tasks with { After = new TaskPosition(At.ToUnixTimeMilliseconds(), deep.TrackingId, 1) }));
        }

        foreach (var view in Enum.GetValues<DeadlineView>())
        {
            var deadlines = new DeadlineQuery(view, now, 50);
            Check($"deadlines {view}", await Sqlite.PlanAsync(deadlines));
            Check($"deep page of deadlines {view}", await Sqlite.PlanAsync(deadlines with { After = new DeadlinePosition(At.ToUnixTimeMilliseconds(), deep.TrackingId, DeadlineKind.Nis2Notification) }));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        void Check(string shape, IReadOnlyList<string> plan)
        {
            // A sort of the matches, or a read of a whole table (SCAN without an index), costs what the queue holds.
            if (plan.Any(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal))
                || plan.Any(step => step.StartsWith("SCAN ", StringComparison.Ordinal) && !step.Contains(" INDEX ", StringComparison.Ordinal)))
            {
                failures.Add($"{shape}:\n    {string.Join("\n    ", plan)}");
            }
        }
    }

    [Fact]
    public async Task AQueueWrittenBeforeTheMembershipTablesIsMigratedIntoThem()
    {
        // A data folder as it was before script 011: the older scripts applied, rows written as they were then.
        var scripts = Path.Combine(AppContext.BaseDirectory, "sql", "sqlite");
        var older = Path.Combine(Path.GetTempPath(), "cirt-sql-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(Path.GetTempPath(), "cirt-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(older);
        try
        {
            foreach (var script in Directory.GetFiles(scripts, "*.sql").Where(s => string.CompareOrdinal(Path.GetFileName(s), "011") < 0))
            {
                File.Copy(script, Path.Combine(older, Path.GetFileName(script)));
            }

            var database = new SqliteDatabase(Path.Combine(folder, "cirt.db"));
            database.Migrate(older);
            var incidents = Enumerable.Range(1, 60).Select(n => Incident(n, new Random(n))).ToArray();
            await using (var connection = await database.OpenAsync())
            {
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
                }
            }

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
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(older, recursive: true);
            Directory.Delete(folder, recursive: true);
        }
    }
}
