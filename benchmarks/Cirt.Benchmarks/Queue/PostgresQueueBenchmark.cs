using System.Diagnostics;
using System.Globalization;
using Cirt.Benchmarks.Ingest;
using Cirt.Grains.Incidents;
using Cirt.Server.Storage;
using Npgsql;

namespace Cirt.Benchmarks.Queue;

/// <summary>
/// The cluster profile's read model (<see cref="PostgresIncidentQueue"/>) against the queue targets
/// of the embedded one: each list shape's p99 at <see cref="Settings.Incidents"/> within twice its p99
/// at <see cref="Settings.BaselineIncidents"/>. Measured at the adapter, not through gRPC (a cluster
/// of servers is another branch's): for each size a fresh database (ConnectionStrings__Postgres,
/// else deploy/local-services.sh's), filled by <see cref="QueueFill"/> through the adapter, then each
/// shape called <see cref="Settings.Repetitions"/> times in a row. Prints a table and a RESULT line.
/// </summary>
public static class PostgresQueueBenchmark
{
    /// <summary>What to run: the two sizes, the organisations, the calls per shape and the deep page.</summary>
    public sealed record Settings(int Incidents, int BaselineIncidents, int Stakeholders, int Repetitions, int DeepPage);

    private sealed record Shape(string Name, Func<Task<int>> Call);

    public static async Task<int> RunAsync(Settings s)
    {
        var baseline = await RunAtAsync(s, s.BaselineIncidents);
        var large = await RunAtAsync(s, s.Incidents);
        Console.WriteLine();
        Console.WriteLine($"{"shape",-48} {"p50 ms",8} {"p99 ms",8} {"total",9} | {$"p99 {s.BaselineIncidents / 1000}k",9} {"growth",7}");
        var worst = 0.0;
        var worstName = "";
        var within = 0;
        foreach (var (name, p50, p99, total) in large)
        {
            var before = baseline.Single(b => b.Name == name);
            var growth = p99 / before.P99;
            within += growth <= 2 ? 1 : 0;
            if (growth > worst)
            {
                (worst, worstName) = (growth, name);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-48} {p50,8:F2} {p99,8:F2} {total,9} | {before.P99,9:F2} {growth,7:F2} {(growth <= 2 ? "PASS" : "FAIL")}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT profile=postgresql incidents={s.Incidents} baseline={s.BaselineIncidents} within_2x={within}/{large.Count} worst_shape={worstName} worst_growth={worst:F2}"));
        return 0;
    }

    private static async Task<List<(string Name, double P50, double P99, int Total)>> RunAtAsync(Settings s, int incidents)
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres";
        var name = "cirtbench" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(server, $"CREATE DATABASE {name};");
        try
        {
            using var database = PostgresDatabase.Open(new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString(),
                Path.Combine(AppContext.BaseDirectory, "sql", "postgresql"));
            var queue = new PostgresIncidentQueue(database);
            var fill = new QueueFill(incidents, s.Stakeholders, DateTimeOffset.UtcNow);
            var clock = Stopwatch.StartNew();
            await fill.FillAsync(queue);
            Console.WriteLine($"{incidents:N0} incidents: filled in {clock.Elapsed.TotalSeconds:N1} s ({incidents / clock.Elapsed.TotalSeconds:N0}/s)");
            await ExecuteAsync(database.DataSource.ConnectionString, "VACUUM ANALYZE;");

            var measured = new List<(string, double, double, int)>();
            foreach (var shape in await ShapesAsync(queue, fill, s))
            {
                await shape.Call(); // warm
                var ms = new double[s.Repetitions];
                var total = 0;
                for (var i = 0; i < ms.Length; i++)
                {
                    var call = Stopwatch.StartNew();
                    total = await shape.Call();
                    ms[i] = call.Elapsed.TotalMilliseconds;
                }

                var (p50, p99) = (Drivers.Percentile(ms, 0.50), Drivers.Percentile(ms, 0.99));
                measured.Add((shape.Name, p50, p99, total));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {shape.Name,-48} p50 {p50,8:F2} ms  p99 {p99,8:F2} ms  total {total:N0}"));
            }

            return measured;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
        }
    }

    private static async Task<IReadOnlyList<Shape>> ShapesAsync(PostgresIncidentQueue queue, QueueFill fill, Settings s)
    {
        var big = QueueFill.Stakeholder(0);
        var small = QueueFill.Stakeholder(s.Stakeholders - 1);
        var sector = QueueFill.Sectors.MaxBy(fill.SectorCount)!;
        var now = DateTimeOffset.UtcNow;
        const int PageSize = 51; // a page of 50 and one more to tell whether there is a next page, as the service asks
        Func<Task<int>> List(IncidentQuery query) => async () => (await queue.QueryAsync(query)).Total;
        IncidentQuery Query(IncidentStatus[]? statuses = null, string? sectorCode = null, Severity[]? severities = null, string? stakeholder = null,
            IncidentOrder order = IncidentOrder.NewestFirst) =>
            new(statuses ?? [], sectorCode, severities ?? [], stakeholder, order, PageSize);

        var shapes = new List<Shape>
        {
            new("all", List(Query())),
            new("all most-severe", List(Query(order: IncidentOrder.MostSevereFirst))),
            new("status:REPORTED", List(Query([IncidentStatus.Reported]))),
            new("status:REPORTED most-severe", List(Query([IncidentStatus.Reported], order: IncidentOrder.MostSevereFirst))),
            new("status:REPORTED,TRIAGED", List(Query([IncidentStatus.Reported, IncidentStatus.Triaged]))),
            new($"sector:{sector}", List(Query(sectorCode: sector))),
            new($"sector:{sector} most-severe", List(Query(sectorCode: sector, order: IncidentOrder.MostSevereFirst))),
            new("severity:HIGH", List(Query(severities: [Severity.High]))),
            new("stakeholder:big", List(Query(stakeholder: big))),
            new("stakeholder:big most-severe", List(Query(stakeholder: big, order: IncidentOrder.MostSevereFirst))),
            new("stakeholder:small", List(Query(stakeholder: small))),
            new($"status:REPORTED+sector", List(Query([IncidentStatus.Reported], sector))),
            new("status:REPORTED+severity:HIGH+stakeholder:big", List(Query([IncidentStatus.Reported], null, [Severity.High], big))),
            new("operator(big) all", List(Query() with { VisibleToStakeholder = big })),
            new("ListTasks open", async () => (await queue.TasksAsync(new TaskQuery(true, false, now, 26))).Total),
            new("ListDeadlines open", async () => (await queue.DeadlinesAsync(new DeadlineQuery(DeadlineView.Open, now, 26))).Total),
            new("ListDeadlines overdue", async () => (await queue.DeadlinesAsync(new DeadlineQuery(DeadlineView.Overdue, now, 26))).Total),
        };

        foreach (var (name, query, page) in new[]
                 {
                     ("all page 20", Query(), 20),
                     ($"all page {s.DeepPage}", Query(), s.DeepPage),
                     ($"all most-severe page {s.DeepPage}", Query(order: IncidentOrder.MostSevereFirst), s.DeepPage),
                 })
        {
            var deep = query;
            for (var reached = 1; reached < page; reached++)
            {
                var (rows, _) = await queue.QueryAsync(deep);
                if (rows.Count < PageSize)
                {
                    break;
                }

                deep = query with { After = IncidentPosition.Of(rows[^2]) };
            }

            shapes.Add(new Shape(name, List(deep)));
        }

        return shapes;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }
}
