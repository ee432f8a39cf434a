using Cirt.Grains.Incidents;
using Cirt.Server.Storage;

namespace Cirt.Server.Tests.Storage;

/// <summary>
/// The read model on a real SQLite file: concurrent publications all land, the newest version wins,
/// and a follower reading by change number sees every write once, with deadlines and tasks.
/// </summary>
public sealed class SqliteIncidentQueueTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly TempSqliteDatabase _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task ConcurrentPublicationsAllLandAndEachIncidentShowsItsNewestVersion()
    {
        var queue = new SqliteIncidentQueue(_file.Database);
        const int Incidents = 300;
        const int Versions = 5;
        // Every version of every incident published at once, in shuffled order, from many callers.
        var publications = Enumerable.Range(1, Incidents)
            .SelectMany(n => Enumerable.Range(1, Versions).Select(v => Summary(n, v)))
            .OrderBy(_ => Random.Shared.Next())
            .ToArray();

        await Parallel.ForEachAsync(publications, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (summary, ct) => await queue.UpsertAsync(summary, ct));

        // A second queue over the same file reads only what was committed.
        var (page, total) = await new SqliteIncidentQueue(_file.Database).QueryAsync(
            new IncidentQuery([], null, [], null, IncidentOrder.NewestFirst, 500));
        Assert.Equal(Incidents, total);
        Assert.All(page, s => Assert.Equal(Versions, s.Version));
        Assert.All(page, s => Assert.Equal($"version {Versions}", s.Title));
    }

    [Fact]
    public async Task AnOlderVersionPublishedLateDoesNotOverwriteANewerOne()
    {
        var queue = new SqliteIncidentQueue(_file.Database);
        await queue.UpsertAsync(Summary(7, 3));
        await queue.UpsertAsync(Summary(7, 2));

        var (page, _) = await queue.QueryAsync(new IncidentQuery([], null, [], null, IncidentOrder.NewestFirst, 10));
        Assert.Equal(3, Assert.Single(page).Version);
    }

    [Fact]
    public async Task AFollowerReadingByChangeNumberSeesEveryWriteOnceInOrderAndNothingStale()
    {
        var queue = new SqliteIncidentQueue(_file.Database);
        var start = (await queue.ChangesAsync(0, 0)).Through;
        await queue.UpsertAsync(Summary(1, 1));
        await queue.UpsertAsync(Summary(2, 1));
        await queue.UpsertAsync(Summary(1, 2));
        await queue.UpsertAsync(Summary(2, 1) with { Title = "stale" }); // same version: written again
        await queue.UpsertAsync(Summary(1, 1));                          // older version: not written, no change

        var first = await queue.ChangesAsync(start, 1);
        Assert.True(first.More);
        var rest = await queue.ChangesAsync(first.Through, 500);
        Assert.False(rest.More);

        // Each incident once, at its latest write, in the order of those writes; the older version took no change number.
        Assert.Equal((TrackingIds.Format(2026, 1), 2L), first.Incidents.Select(i => (i.TrackingId, i.Version)).Single());
        Assert.Equal((TrackingIds.Format(2026, 2), "stale"), rest.Incidents.Select(i => (i.TrackingId, i.Title)).Single());
        Assert.Equal(start + 4, rest.Through);
        Assert.Empty((await queue.ChangesAsync(rest.Through, 500)).Incidents);
        Assert.Equal(rest.Through, (await queue.ChangesAsync(start, 0)).Through);
    }

    [Fact]
    public async Task ChangedIncidentsComeWithTheirDeadlinesTasksAndExerciseMark()
    {
        var queue = new SqliteIncidentQueue(_file.Database);
        var start = (await queue.ChangesAsync(0, 0)).Through;
        var deadline = new Deadline(DeadlineKind.Nis2Notification, At.AddHours(72), null, "awareness");
        var task = new IncidentTask(1, "Send the logs", "gridco", "", At.AddHours(4), IncidentTaskStatus.Open, At, "alice", "analyst", At);
        await queue.UpsertAsync(Summary(3, 1) with { Deadlines = [deadline], Tasks = [task], Exercise = true });

        var changed = Assert.Single((await queue.ChangesAsync(start, 10)).Incidents);

        Assert.Equal([deadline], changed.Deadlines);
        Assert.Equal([task], changed.Tasks);
        Assert.True(changed.Exercise);
    }

    [Fact]
    public async Task IncidentsFallingDueAreThoseWithAnUnmetDeadlineOrOpenTaskInAWindow()
    {
        var queue = new SqliteIncidentQueue(_file.Database);
        Deadline Due(DateTimeOffset at, DateTimeOffset? met = null) => new(DeadlineKind.Triage, at, met, "reported");
        IncidentTask Task(DateTimeOffset at, IncidentTaskStatus status) => new(1, "t", "gridco", "", at, status, At, "alice", "analyst", At);
        await queue.UpsertAsync(Summary(10, 1) with { Deadlines = [Due(At.AddHours(1))] });                          // in the first window
        await queue.UpsertAsync(Summary(11, 1) with { Deadlines = [Due(At.AddHours(1), met: At)] });                 // met: nothing falls due
        await queue.UpsertAsync(Summary(12, 1) with { Tasks = [Task(At.AddHours(25), IncidentTaskStatus.InProgress)] }); // in the second window
        await queue.UpsertAsync(Summary(13, 1) with { Tasks = [Task(At.AddHours(1), IncidentTaskStatus.Done)] });    // done
        await queue.UpsertAsync(Summary(14, 1) with { Deadlines = [Due(At.AddHours(5))] });                          // outside both
        await queue.UpsertAsync(Summary(15, 1) with { Status = IncidentStatus.Rejected, Deadlines = [Due(At.AddHours(1))] });

        var due = await queue.FallingDueAsync([new DueWindow(At, At.AddHours(2)), new DueWindow(At.AddHours(24), At.AddHours(26))]);

        Assert.Equal([TrackingIds.Format(2026, 10), TrackingIds.Format(2026, 12)], due.Select(i => i.TrackingId).Order());
        Assert.Single(due.Single(i => i.TrackingId == TrackingIds.Format(2026, 12)).Tasks);
    }

    [Fact]
    public async Task IncidentCountsFollowEveryWriteAsTheQueueHoldsIt()
    {
        var queue = new SqliteIncidentQueue(_file.Database);
        var memory = new InMemoryIncidentQueue();
        // Versions of 40 incidents moving between statuses, severities and exercise, published out of
        // order from many callers (stale versions lose), many into a cell others already hold.
        var random = new Random(13);
        var publications = Enumerable.Range(1, 40)
            .SelectMany(n => Enumerable.Range(1, 6).Select(v => Summary(n, v) with
            {
                Status = (IncidentStatus)random.Next(1, 9),
                Severity = (Severity)random.Next(0, 5),
                Exercise = random.Next(4) == 0,
            }))
            .OrderBy(_ => random.Next())
            .ToArray();
        await Parallel.ForEachAsync(publications, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (summary, ct) =>
        {
            await queue.UpsertAsync(summary, ct);
            await memory.UpsertAsync(summary, ct);
        });

        var (all, total) = await queue.QueryAsync(new IncidentQuery([], null, [], null, IncidentOrder.NewestFirst, 500));
        Assert.Equal(40, total);
        var expected = all.GroupBy(s => (s.Status, s.Severity, s.Exercise)).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expected, await CountsAsync(queue));
        Assert.Equal(expected, await CountsAsync(memory));
    }

    /// <summary>The counts a queue reports, leaving out the cells that hold no incident now.</summary>
    private static async Task<Dictionary<(IncidentStatus, Severity, bool), long>> CountsAsync(IIncidentQueue queue) =>
        (await queue.CountsAsync()).Where(c => c.Incidents != 0).ToDictionary(c => (c.Status, c.Severity, c.Exercise), c => c.Incidents);

    private static IncidentSummary Summary(int number, int version) => new(
        TrackingIds.Format(2026, number), $"version {version}", IncidentStatus.Reported, Severity.Medium, Tlp.Amber,
        "gridco", ["ENERGY"], ["gridco"], "", "", "", At, At.AddMinutes(version), version, []);
}
