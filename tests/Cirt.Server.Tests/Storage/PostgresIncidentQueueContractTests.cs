using Cirt.Grains.Incidents;
using Cirt.Server.Storage;
using Cirt.Tests;

namespace Cirt.Server.Tests.Storage;

/// <summary>
/// The queue contract on PostgreSQL (the cluster profile's read model), a database of its own per
/// test with the schema of deploy/sql/postgresql applied as a silo applies it; and what only several
/// silos sharing the database can show: two silos' writers racing, a follower misses none of their
/// changes; the overdue total is a lower bound, saying so, past what one count reads.
/// </summary>
public sealed class PostgresIncidentQueueContractTests : IncidentQueueContractTests, IAsyncLifetime
{
    private ClusterServices.TestDatabase? _database;
    private PostgresDatabase? _postgres;
    private PostgresIncidentQueue? _queue;

    protected override IIncidentQueue Queue => _queue!;

    private static string Scripts => Path.Combine(AppContext.BaseDirectory, "sql", "postgresql");

    public async Task InitializeAsync()
    {
        _database = await ClusterServices.CreateDatabaseAsync("cirtqueue");
        _postgres = PostgresDatabase.Open(_database.ConnectionString, Scripts);
        _queue = new PostgresIncidentQueue(_postgres);
    }

    public async Task DisposeAsync()
    {
        _postgres?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoSilosWritingAtOnceGiveAFollowerEveryChangeAndEachIncidentItsNewestVersion()
    {
        // A second silo: its own data source and writer, the same database (the schema applied again: harmless).
        using var other = PostgresDatabase.Open(_database!.ConnectionString, Scripts);
        var silos = new[] { _queue!, new PostgresIncidentQueue(other) };
        var incidents = Enumerable.Range(1, 60).Select(n => Incident(n, new Random(n)) with { Deadlines = [], Tasks = [] }).ToArray();
        const int Versions = 5;
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var through = (await Queue.ChangesAsync(0, 0)).Through;
        // Each version of an incident is published by one silo or the other, every silo racing the other.
        var writers = Task.WhenAll(silos.Select((silo, s) => Task.Run(async () =>
        {
            for (var version = 1; version <= Versions; version++)
            {
                await Task.WhenAll(incidents.Where((_, n) => (n + version) % 2 == s)
                    .Select(i => silo.UpsertAsync(i with { Version = version, Title = $"version {version}" })));
            }
        })));

        while (true)
        {
            var done = writers.IsCompleted;
            var changes = await Queue.ChangesAsync(through, 11);
            foreach (var incident in changes.Incidents)
            {
                Assert.True(incident.Version >= seen.GetValueOrDefault(incident.TrackingId), $"{incident.TrackingId} went back to version {incident.Version}");
                seen[incident.TrackingId] = incident.Version;
            }

            through = changes.Through;
            if (done && !changes.More)
            {
                break;
            }
        }

        await writers;
        Assert.Equal(incidents.Length, seen.Count);
        Assert.All(seen.Values, version => Assert.Equal(Versions, version));
        var (page, total) = await Queue.QueryAsync(new IncidentQuery([], null, [], null, IncidentOrder.NewestFirst, 100));
        Assert.Equal(incidents.Length, total);
        Assert.All(page, i => Assert.Equal($"version {Versions}", i.Title));
        Assert.Equal(incidents.Length, (await Queue.CountsAsync()).Sum(c => c.Incidents));
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

        var bounded = new PostgresIncidentQueue(_postgres!) { DueTodayCountLimit = 4 };
        var roomy = new PostgresIncidentQueue(_postgres!) { DueTodayCountLimit = 7 };
        foreach (var deadlines in new[] { new DeadlineQuery(DeadlineView.Overdue, now, 5), new DeadlineQuery(DeadlineView.Overdue, now, 5) { ReportedBy = "gridco" } })
        {
            Assert.Equal((10, true), ((await bounded.DeadlinesAsync(deadlines)).Total, (await bounded.DeadlinesAsync(deadlines)).TotalIsLowerBound));
            Assert.Equal((12, false), ((await roomy.DeadlinesAsync(deadlines)).Total, (await roomy.DeadlinesAsync(deadlines)).TotalIsLowerBound));
        }

        foreach (var tasks in new[] { new TaskQuery(true, true, now, 5), new TaskQuery(true, true, now, 5) { AssignedToStakeholder = "gridco" } })
        {
            Assert.Equal((10, true), ((await bounded.TasksAsync(tasks)).Total, (await bounded.TasksAsync(tasks)).TotalIsLowerBound));
            Assert.Equal((12, false), ((await roomy.TasksAsync(tasks)).Total, (await roomy.TasksAsync(tasks)).TotalIsLowerBound));
        }

        Assert.Equal((12, false), ((await bounded.DeadlinesAsync(new DeadlineQuery(DeadlineView.Open, now, 5))).Total, false));
    }
}
