using Cirt.Grains.Incidents;
using Cirt.Server.Storage;

namespace Cirt.Server.Tests.Storage;

/// <summary>The read model's group commit on a real SQLite file: concurrent publications all land, the newest version wins.</summary>
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
            new IncidentQuery([], null, [], null, IncidentOrder.NewestFirst, 0, 500));
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

        var (page, _) = await queue.QueryAsync(new IncidentQuery([], null, [], null, IncidentOrder.NewestFirst, 0, 10));
        Assert.Equal(3, Assert.Single(page).Version);
    }

    private static IncidentSummary Summary(int number, int version) => new(
        TrackingIds.Format(2026, number), $"version {version}", IncidentStatus.Reported, Severity.Medium, Tlp.Amber,
        "gridco", ["ENERGY"], ["gridco"], "", "", "", At, At.AddMinutes(version), version, []);
}
