using Cirt.Grains.Incidents;

namespace Cirt.Server.Tests.Storage;

/// <summary>
/// What every read model of the incident queue must do, run against each adapter (the SQLite file
/// and the memory profile): paging through every list shape (each filter alone and combined, each
/// order, operators' and staff's views) by position visits every matching incident exactly once,
/// in order, with an exact total; while incidents change between pages, none that stayed put is
/// skipped or repeated; tasks and deadlines page the same way.
/// </summary>
public abstract class IncidentQueueContractTests
{
    protected static readonly DateTimeOffset At = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Sectors = ["ENERGY", "HEALTH", "BANKING"];
    private static readonly string[] Organisations = ["gridco", "firstbank", "medic", "waterworks"];

    /// <summary>The adapter under test, empty at the start of each test.</summary>
    protected abstract IIncidentQueue Queue { get; }

    /// <summary>Every shape of ListIncidents the tests page through: each filter alone and combined, both orders, staff's view and two operators'.</summary>
    public static IEnumerable<IncidentQuery> Shapes()
    {
        IncidentStatus[][] statuses = [[], [IncidentStatus.Reported], [IncidentStatus.Reported, IncidentStatus.Triaged, IncidentStatus.Responding]];
        Severity[][] severities = [[], [Severity.High], [Severity.Unspecified, Severity.High, Severity.Critical]];
        foreach (var order in new[] { IncidentOrder.NewestFirst, IncidentOrder.MostSevereFirst })
        foreach (var s in statuses)
        foreach (var v in severities)
        foreach (var sector in new[] { null, "ENERGY" })
        foreach (var stakeholder in new[] { null, "gridco" })
        foreach (var viewer in new[] { null, "gridco", "firstbank" })
        {
            yield return new IncidentQuery(s, sector, v, stakeholder, order, 7) { VisibleToStakeholder = viewer };
        }

        yield return new IncidentQuery([IncidentStatus.Reported, IncidentStatus.Closed], "HEALTH", [], null, IncidentOrder.MostSevereFirst, 7) { ExcludeExercises = true };
    }

    [Fact]
    public async Task PagingThroughEveryShapeVisitsEveryMatchingIncidentOnceInOrderWithAnExactTotal()
    {
        var incidents = await SeedAsync(240, new Random(15));

        foreach (var shape in Shapes())
        {
            var expected = incidents.Where(shape.Matches).Order(ByOrderOf(shape)).Select(i => i.TrackingId).ToArray();
            var (visited, totals) = await PageThroughAsync(shape);

            Assert.True(expected.SequenceEqual(visited), $"{Describe(shape)}: expected {expected.Length} incidents in order, visited {visited.Count}");
            Assert.All(totals, total => Assert.Equal(expected.Length, total));
        }
    }

    [Fact]
    public async Task AnIncidentThatDidNotMoveBetweenPagesIsNeitherSkippedNorRepeated()
    {
        var random = new Random(7);
        var incidents = (await SeedAsync(150, random)).ToDictionary(i => i.TrackingId);
        foreach (var order in new[] { IncidentOrder.NewestFirst, IncidentOrder.MostSevereFirst })
        {
            var shape = new IncidentQuery([IncidentStatus.Reported, IncidentStatus.Triaged], null, [], null, order, 9);
            var before = incidents.Values.Where(shape.Matches).Select(i => i.TrackingId).ToHashSet();
            var moved = new HashSet<string>();
            var visited = new List<string>();
            IncidentPosition? after = null;
            var next = 1_000;
            while (true)
            {
                var (page, _) = await Queue.QueryAsync(shape with { After = after });
                visited.AddRange(page.Select(i => i.TrackingId));
                if (page.Count < shape.Limit)
                {
                    break;
                }

                after = IncidentPosition.Of(page[^1]);
                // Between pages: three incidents change severity or status, and a new one arrives.
                foreach (var id in incidents.Keys.OrderBy(_ => random.Next()).Take(3).ToArray())
                {
                    var changed = incidents[id] with
                    {
                        Severity = (Severity)random.Next(0, 5),
                        Status = (IncidentStatus)random.Next(1, 3),
                        Version = incidents[id].Version + 1,
                    };
                    incidents[id] = changed;
                    moved.Add(id);
                    await Queue.UpsertAsync(changed);
                }

                var arrived = Incident(next++, random);
                incidents[arrived.TrackingId] = arrived;
                moved.Add(arrived.TrackingId);
                await Queue.UpsertAsync(arrived);
            }

            var stayed = before.Except(moved).ToArray();
            Assert.NotEmpty(stayed);
            Assert.All(stayed, id => Assert.Equal(1, visited.Count(v => v == id)));
            // What stayed put came in the order it still has.
            var stayedInOrder = visited.Where(stayed.Contains).ToArray();
            Assert.Equal(stayedInOrder.Order(Comparer<string>.Create((a, b) => IncidentPosition.Compare(
                IncidentPosition.Of(incidents[a]), IncidentPosition.Of(incidents[b]), order))), stayedInOrder);
        }
    }

    [Fact]
    public async Task PagingThroughTasksAndDeadlinesVisitsEachOnceSoonestFirst()
    {
        var incidents = await SeedAsync(120, new Random(21));
        var now = At.AddDays(2);
        TaskQuery[] taskShapes =
        [
            new(false, false, now, 6), new(true, false, now, 6), new(true, true, now, 6),
            new(true, false, now, 6) { AssignedToStakeholder = "gridco" }, new(false, false, now, 6) { SectorCode = "ENERGY" },
            new(false, false, now, 6) { AssignedToAnalyst = "alice" },
        ];
        foreach (var shape in taskShapes)
        {
            var expected = incidents.SelectMany(i => i.Tasks.Where(t => shape.Matches(i, t)).Select(t => TaskPosition.Of(new TaskRow(i, t))))
                .Order(Comparer<TaskPosition>.Create(TaskPosition.Compare)).ToArray();
            var visited = new List<TaskPosition>();
            TaskPosition? after = null;
            while (true)
            {
                var (page, total) = await Queue.TasksAsync(shape with { After = after });
                Assert.Equal(expected.Length, total);
                visited.AddRange(page.Select(TaskPosition.Of));
                if (page.Count < shape.Limit)
                {
                    break;
                }

                after = TaskPosition.Of(page[^1]);
            }

            Assert.Equal(expected, visited);
        }

        DeadlineQuery[] deadlineShapes =
        [
            new(DeadlineView.All, now, 6), new(DeadlineView.Open, now, 6), new(DeadlineView.Overdue, now, 6),
            new(DeadlineView.All, now, 6) { ReportedBy = "medic" }, new(DeadlineView.Open, now, 6) { SectorCode = "HEALTH" },
        ];
        foreach (var shape in deadlineShapes)
        {
            var expected = incidents.SelectMany(i => i.Deadlines.Where(d => shape.Matches(i, d)).Select(d => DeadlinePosition.Of(new DeadlineRow(i, d))))
                .Order(Comparer<DeadlinePosition>.Create(DeadlinePosition.Compare)).ToArray();
            var visited = new List<DeadlinePosition>();
            DeadlinePosition? after = null;
            while (true)
            {
                var (page, total) = await Queue.DeadlinesAsync(shape with { After = after });
                Assert.Equal(expected.Length, total);
                visited.AddRange(page.Select(DeadlinePosition.Of));
                if (page.Count < shape.Limit)
                {
                    break;
                }

                after = DeadlinePosition.Of(page[^1]);
            }

            Assert.Equal(expected, visited);
        }
    }

    /// <summary>Pages through <paramref name="shape"/> from the first page to the last, by position.</summary>
    protected async Task<(List<string> Visited, List<int> Totals)> PageThroughAsync(IncidentQuery shape)
    {
        var visited = new List<string>();
        var totals = new List<int>();
        IncidentPosition? after = null;
        while (true)
        {
            var (page, total) = await Queue.QueryAsync(shape with { After = after });
            visited.AddRange(page.Select(i => i.TrackingId));
            totals.Add(total);
            if (page.Count < shape.Limit)
            {
                return (visited, totals);
            }

            after = IncidentPosition.Of(page[^1]);
        }
    }

    /// <summary>Publishes <paramref name="count"/> incidents spread over statuses, severities, sectors, organisations, labels and times (some to the same millisecond).</summary>
    protected async Task<IReadOnlyList<IncidentSummary>> SeedAsync(int count, Random random)
    {
        var incidents = Enumerable.Range(1, count).Select(n => Incident(n, random)).ToArray();
        foreach (var incident in incidents)
        {
            await Queue.UpsertAsync(incident);
        }

        return incidents;
    }

    protected static IncidentSummary Incident(int number, Random random)
    {
        var reporter = random.Next(6) == 0 ? "" : Organisations[random.Next(Organisations.Length)];
        var affected = Organisations.Where(_ => random.Next(3) == 0).ToArray();
        var sectors = Sectors.Where(_ => random.Next(2) == 0).ToArray();
        // Whole minutes, a few dozen of them: many incidents share a reported time, so the tracking id decides.
        var reportedAt = At.AddMinutes(-random.Next(40)).AddTicks(random.Next(2) == 0 ? 0 : 3_000);
        var id = TrackingIds.Format(2026, number);
        var deadlines = random.Next(2) == 0
            ? new[]
            {
                new Deadline(DeadlineKind.Nis2EarlyWarning, reportedAt.AddHours(random.Next(0, 3) * 24), random.Next(3) == 0 ? reportedAt : null, "awareness"),
                new Deadline(DeadlineKind.Nis2Notification, reportedAt.AddHours(72), null, "awareness"),
            }
            : [];
        var tasks = Enumerable.Range(1, random.Next(0, 3)).Select(t => new IncidentTask(
            t, $"task {t}", Organisations[random.Next(Organisations.Length)], random.Next(2) == 0 ? "alice" : "",
            random.Next(3) == 0 ? null : At.AddHours(random.Next(-30, 60)), (IncidentTaskStatus)random.Next(1, 4), At, "alice", "analyst", At)).ToArray();
        return new IncidentSummary(
            id, $"incident {number}", (IncidentStatus)random.Next(1, 9), (Severity)random.Next(0, 5), (Tlp)random.Next(1, 6),
            reporter, sectors, affected, "", "", "", reportedAt, reportedAt, 1, deadlines)
        {
            ReportedSeverity = (Severity)random.Next(0, 5),
            Exercise = random.Next(8) == 0,
            Tasks = tasks,
        };
    }

    private static IComparer<IncidentSummary> ByOrderOf(IncidentQuery shape) =>
        Comparer<IncidentSummary>.Create((a, b) => IncidentPosition.Compare(IncidentPosition.Of(a), IncidentPosition.Of(b), shape.Order));

    protected static string Describe(IncidentQuery q) =>
        $"order {q.Order}, statuses [{string.Join(",", q.Statuses)}], severities [{string.Join(",", q.Severities)}], sector {q.SectorCode ?? "-"}, "
        + $"stakeholder {q.StakeholderId ?? "-"}, viewer {q.VisibleToStakeholder ?? "staff"}, exercises {(q.ExcludeExercises ? "out" : "in")}";
}
