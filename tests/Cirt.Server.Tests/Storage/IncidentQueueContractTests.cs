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
                var (page, total, _) = await Queue.TasksAsync(shape with { After = after });
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
                var (page, total, _) = await Queue.DeadlinesAsync(shape with { After = after });
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

    /// <summary>
    /// Every shape of ListTasks (and the sector view's) whose total the tests check at
    /// <paramref name="now"/>: open or all, overdue or not, each organisation (and one bound to none),
    /// an analyst, a sector, alone and combined.
    /// </summary>
    public static IEnumerable<TaskQuery> TaskShapes(DateTimeOffset now)
    {
        string?[] stakeholders = [null, "", .. Organisations];
        foreach (var (open, overdue) in new[] { (false, false), (true, false), (true, true), (false, true) })
        foreach (var stakeholder in stakeholders)
        foreach (var analyst in new[] { null, "alice" })
        foreach (var sector in new[] { null, "ENERGY" })
        {
            yield return new TaskQuery(open, overdue, now, 4) { AssignedToStakeholder = stakeholder, AssignedToAnalyst = analyst, SectorCode = sector };
        }
    }

    /// <summary>Every shape of ListDeadlines (and the sector view's) whose total the tests check at <paramref name="now"/>: each view, each reporter, a sector.</summary>
    public static IEnumerable<DeadlineQuery> DeadlineShapes(DateTimeOffset now)
    {
        string?[] reporters = [null, "", .. Organisations];
        foreach (var view in Enum.GetValues<DeadlineView>())
        foreach (var reporter in reporters)
        foreach (var sector in new[] { null, "HEALTH" })
        {
            yield return new DeadlineQuery(view, now, 4) { ReportedBy = reporter, SectorCode = sector };
        }
    }

    /// <summary>
    /// When the totals are asked for: at 08:00 (deadlines fall due earlier the same day), late the
    /// same day, just after midnight (yesterday's are past days then) and days later.
    /// </summary>
    protected static readonly DateTimeOffset[] Nows = [At, At.AddHours(14), At.AddHours(16).AddMinutes(5), At.AddDays(3)];

    [Fact]
    public async Task TaskAndDeadlineTotalsStayExactThroughCreatesStatusChangesAndChangesToTasksAndDeadlines()
    {
        var random = new Random(31);
        var incidents = (await SeedAsync(150, random)).ToDictionary(i => i.TrackingId);
        await AssertTotalsAsync("after the creates");

        // Rejected and marked duplicate (their deadlines and tasks leave every list), then some of them reopened.
        var ended = incidents.Keys.OrderBy(_ => random.Next()).Take(20).ToArray();
        foreach (var id in ended)
        {
            await ChangeAsync(id, i => i with { Status = random.Next(2) == 0 ? IncidentStatus.Rejected : IncidentStatus.Duplicate });
        }

        await AssertTotalsAsync("after rejecting and marking duplicates");
        foreach (var id in ended.Take(8))
        {
            await ChangeAsync(id, i => i with { Status = IncidentStatus.Triaged });
        }

        await AssertTotalsAsync("after reopening some");

        // Tasks: finished, reassigned to another organisation or analyst, given or relieved of a due date, added.
        foreach (var id in incidents.Values.Where(i => i.Tasks.Length > 0).Select(i => i.TrackingId).OrderBy(_ => random.Next()).Take(30).ToArray())
        {
            await ChangeAsync(id, i => i with
            {
                Tasks =
                [
                    .. i.Tasks.Select(t => (random.Next(4)) switch
                    {
                        0 => t with { Status = IncidentTaskStatus.Done },
                        1 => t with { AssigneeStakeholderId = Organisations[random.Next(Organisations.Length)], AssigneeAnalyst = random.Next(2) == 0 ? "alice" : "" },
                        2 => t with { DueAt = random.Next(2) == 0 ? null : At.AddHours(random.Next(-40, 80)) },
                        _ => t with { Status = IncidentTaskStatus.InProgress },
                    }),
                    new IncidentTask(i.Tasks.Length + 1, "added", Organisations[random.Next(Organisations.Length)], "", At.AddHours(random.Next(-10, 10)),
                        IncidentTaskStatus.Open, At, "alice", "analyst", At),
                ],
            });
        }

        await AssertTotalsAsync("after changing tasks");

        // Deadlines: met, moved, dropped, added.
        foreach (var id in incidents.Values.Where(i => i.Deadlines.Length > 0).Select(i => i.TrackingId).OrderBy(_ => random.Next()).Take(30).ToArray())
        {
            await ChangeAsync(id, i => i with
            {
                Deadlines = random.Next(3) switch
                {
                    0 => [i.Deadlines[0] with { MetAt = At.AddHours(-1) }, .. i.Deadlines.Skip(1)],
                    1 => [i.Deadlines[0] with { DueAt = At.AddHours(random.Next(-30, 30)) }],
                    _ => [.. i.Deadlines, new Deadline(DeadlineKind.Nis2FinalReport, At.AddHours(random.Next(-20, 20)), null, "notification")],
                },
            });
        }

        await AssertTotalsAsync("after changing deadlines");

        // What decides who sees a task or deadline, and which sector lists it: the label, the affected organisations, the sectors.
        foreach (var id in incidents.Keys.OrderBy(_ => random.Next()).Take(30).ToArray())
        {
            await ChangeAsync(id, i => i with
            {
                Tlp = (Tlp)random.Next(1, 6),
                AffectedStakeholderIds = Organisations.Where(_ => random.Next(3) == 0).ToArray(),
                SectorCodes = Sectors.Where(_ => random.Next(2) == 0).ToArray(),
            });
        }

        await AssertTotalsAsync("after changing labels, affected organisations and sectors");

        // A late write of an older version changes nothing.
        foreach (var old in incidents.Values.Where(i => i.Version > 1).Take(10).Select(i => i with { Version = 1, Status = IncidentStatus.Rejected, Tasks = [], Deadlines = [] }).ToArray())
        {
            await Queue.UpsertAsync(old);
        }

        await AssertTotalsAsync("after late writes of older versions");

        async Task ChangeAsync(string id, Func<IncidentSummary, IncidentSummary> change)
        {
            var changed = change(incidents[id]) with { Version = incidents[id].Version + 1 };
            incidents[id] = changed;
            await Queue.UpsertAsync(changed);
        }

        async Task AssertTotalsAsync(string when)
        {
            var failures = new List<string>();
            foreach (var now in Nows)
            {
                foreach (var shape in TaskShapes(now))
                {
                    var expected = incidents.Values.Sum(i => i.Tasks.Count(t => shape.Matches(i, t)));
                    var (_, total, lowerBound) = await Queue.TasksAsync(shape);
                    if (total != expected || lowerBound)
                    {
                        failures.Add($"tasks open {shape.OpenOnly} overdue {shape.OverdueOnly} of {shape.AssignedToStakeholder ?? "-"} analyst {shape.AssignedToAnalyst ?? "-"} "
                            + $"sector {shape.SectorCode ?? "-"} at {now:O}: {total}{(lowerBound ? " (lower bound)" : "")}, expected {expected}");
                    }
                }

                foreach (var shape in DeadlineShapes(now))
                {
                    var expected = incidents.Values.Sum(i => i.Deadlines.Count(d => shape.Matches(i, d)));
                    var (_, total, lowerBound) = await Queue.DeadlinesAsync(shape);
                    if (total != expected || lowerBound)
                    {
                        failures.Add($"deadlines {shape.View} of {shape.ReportedBy ?? "-"} sector {shape.SectorCode ?? "-"} at {now:O}: "
                            + $"{total}{(lowerBound ? " (lower bound)" : "")}, expected {expected}");
                    }
                }
            }

            Assert.True(failures.Count == 0, $"{when}:\n{string.Join("\n", failures)}");
        }
    }

    [Fact]
    public async Task AnOlderVersionPublishedLateOverwritesNothingOfANewerOne()
    {
        var newer = Incident(1, new Random(1)) with
        {
            Title = "newer", Version = 3, Status = IncidentStatus.Triaged, SectorCodes = ["HEALTH"], ReporterStakeholderId = "medic",
            Deadlines = [new Deadline(DeadlineKind.Nis2Notification, At.AddHours(5), null, "awareness")], Tasks = [],
        };
        var older = newer with
        {
            Title = "older", Version = 2, Status = IncidentStatus.Reported, SectorCodes = ["ENERGY"], ReporterStakeholderId = "gridco",
            Deadlines = [], Tasks = [new IncidentTask(1, "stale", "gridco", "", At.AddHours(1), IncidentTaskStatus.Open, At, "alice", "analyst", At)],
        };
        var start = (await Queue.ChangesAsync(0, 0)).Through;
        await Queue.UpsertAsync(newer);
        await Queue.UpsertAsync(older);

        var (page, total) = await Queue.QueryAsync(new IncidentQuery([], null, [], null, IncidentOrder.NewestFirst, 10) { WithDeadlinesAndTasks = true });
        var shown = Assert.Single(page);
        Assert.Equal((1, "newer", 3L, IncidentStatus.Triaged), (total, shown.Title, shown.Version, shown.Status));
        Assert.Equal(DeadlineKind.Nis2Notification, Assert.Single(shown.Deadlines).Kind);
        Assert.Empty(shown.Tasks);
        // Nor the rows the filters and totals read: the older version's sector, reporter, status and task are nowhere.
        Assert.Equal(0, (await Queue.QueryAsync(new IncidentQuery([], "ENERGY", [], null, IncidentOrder.NewestFirst, 10))).Total);
        Assert.Equal(0, (await Queue.QueryAsync(new IncidentQuery([], null, [], "gridco", IncidentOrder.NewestFirst, 10))).Total);
        Assert.Equal(1, (await Queue.QueryAsync(new IncidentQuery([], "HEALTH", [], "medic", IncidentOrder.NewestFirst, 10))).Total);
        Assert.Equal(0, (await Queue.QueryAsync(new IncidentQuery([IncidentStatus.Reported], null, [], null, IncidentOrder.NewestFirst, 10))).Total);
        Assert.Equal(0, (await Queue.TasksAsync(new TaskQuery(false, false, At, 10))).Total);
        Assert.Equal(1, (await Queue.DeadlinesAsync(new DeadlineQuery(DeadlineView.Open, At, 10))).Total);
        Assert.Equal([(IncidentStatus.Triaged, 1L)], (await Queue.CountsAsync()).Where(c => c.Incidents > 0).Select(c => (c.Status, c.Incidents)));
        var changes = await Queue.ChangesAsync(start, 10);
        Assert.Equal(("newer", 3L), changes.Incidents.Select(i => (i.Title, i.Version)).Single());
    }

    [Fact]
    public async Task AFollowerGoingOnFromThroughWhileWritersRaceMissesNoIncident()
    {
        var written = Enumerable.Range(1, 400).Select(n => Incident(n, new Random(n)) with { Deadlines = [], Tasks = [] }).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var through = (await Queue.ChangesAsync(0, 0)).Through;
        var writers = Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var n = w; n < written.Length; n += 8)
            {
                await Queue.UpsertAsync(written[n]);
            }
        })));

        // Reading as the inbox does, in small pages, while the writers run and once after.
        while (true)
        {
            var done = writers.IsCompleted;
            var changes = await Queue.ChangesAsync(through, 7);
            seen.UnionWith(changes.Incidents.Select(i => i.TrackingId));
            through = changes.Through;
            if (done && !changes.More)
            {
                break;
            }
        }

        await writers;
        Assert.Equal(written.Select(i => i.TrackingId).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
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
