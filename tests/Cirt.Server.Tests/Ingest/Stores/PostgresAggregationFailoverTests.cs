using Cirt.Grains.Ingest;
using Cirt.Server.Ingest;
using Cirt.Server.Storage;
using Cirt.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Directory = Cirt.Grains.Stakeholders;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Ingest.Stores;

/// <summary>
/// Aggregation in the cluster: two silos over one PostgreSQL database, each appending to the
/// shared log; exactly one aggregates (the lease holder). Killed midway through a pass, its lease
/// expires and the other takes over; every count comes out exact. A holder that lost the lease
/// without noticing is refused when it writes.
/// </summary>
public sealed class PostgresAggregationFailoverTests
{
    private static readonly DateTimeOffset Observed = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static IngestOptions Options => new()
    {
        MaxBatchEvents = 10, AggregationPassEvents = 10, AggregationFlushEvents = 20,
        AggregationFlushInterval = TimeSpan.FromMilliseconds(200), ResendWindowEvents = 1_000, DuplicateWindowTargets = 1_000,
        AggregationLease = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task OneSiloAggregatesAndWhenItIsKilledMidPassTheOtherTakesOverCountingEveryEventOnce()
    {
        await using var test = await ClusterServices.CreateDatabaseAsync("cirtfailover");
        using var database = PostgresDatabase.Open(test.ConnectionString, PostgresIngest.Scripts);
        var directory = new InMemoryStakeholderDirectory();
        await directory.UpsertAsync(new Directory.Stakeholder(
            "net-a", "net-a", Directory.StakeholderType.EssentialServiceOperator, [], "EU", Directory.Nis2EntityClass.None, [],
            new Directory.Constituency(["100.64.0.0/16"], [], []), 1, Observed, Observed, "test"));
        var incidents = new AggregateIncidents();
        await using var a = new ClusterIngestSilo(database, Options, directory, incidents);
        await using var b = new ClusterIngestSilo(database, Options, directory, incidents);
        await a.StartAsync();
        await Eventually.ReadAsync(() => Task.FromResult(a.Lease.Held), held => held, "silo A never took the lease");
        await b.StartAsync();

        // Phase 1, through both silos: events over five days (five incidents), a few nobody's.
        var sent = new List<Proto.Event>();
        var resent = 0;
        for (var i = 0; i < 40; i++)
        {
            var events = Enumerable.Range(0, 5).Select(e => Event(i * 5 + e)).ToArray();
            await (i % 2 == 0 ? a : b).AppendAsync("sensor", events);
            sent.AddRange(events);
        }

        var latest = await LatestSeqAsync(database);
        await Eventually.ReadAsync(() => a.State.AppliedSeqAsync(CancellationToken.None), seq => seq == latest, "silo A did not aggregate phase 1");
        Assert.False(b.Lease.Held);
        Assert.Equal(0, b.Aggregator.AggregatedSeq);

        // Phase 2: A is held after writing two incidents of its next pass, then killed there.
        var midway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = 0;
        a.Aggregator.BeforeIncidentWrite = async (_, token) =>
        {
            if (Interlocked.Increment(ref written) == 3)
            {
                midway.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }
        };
        for (var i = 40; i < 50; i++)
        {
            // Each batch also resends an event of phase 1 through the other silo: counted as resent, stored once.
            var events = Enumerable.Range(0, 4).Select(e => Event(i * 5 + e)).Append(sent[i - 40]).ToArray();
            await (i % 2 == 0 ? b : a).AppendAsync("sensor", events);
            sent.AddRange(events.Take(4));
            resent++;
        }

        await midway.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var pending = await PendingSeqAsync(database);
        Assert.True(pending > latest, "the pass A was killed in was not marked pending");
        await a.KillAsync();

        // Phase 3, through B only; B takes the lease over once A's expires and redoes A's pass.
        for (var i = 50; i < 60; i++)
        {
            var events = Enumerable.Range(0, 5).Select(e => Event(i * 5 + e)).ToArray();
            await b.AppendAsync("sensor", events);
            sent.AddRange(events);
        }

        latest = await LatestSeqAsync(database);
        await Eventually.ReadAsync(() => b.State.AppliedSeqAsync(CancellationToken.None), seq => seq == latest, "silo B did not take aggregation over");
        Assert.True(b.Lease.Held);
        Assert.Equal(2, b.Lease.Epoch);

        var totals = Assert.Single((await b.State.TotalsAsync(CancellationToken.None)).Feeds);
        var unmatched = sent.Count(e => e.SourceIp.StartsWith("198.18.", StringComparison.Ordinal));
        Assert.Equal(("honeypot-1", (long)sent.Count, (long)resent, 0L, (long)unmatched), (totals.Feed, totals.Totals.Stored, totals.Totals.Resent, totals.Totals.Duplicates, totals.Totals.Unmatched));
        Assert.Equal(unmatched, (await b.State.UnmatchedAsync("", 0, 1_000, CancellationToken.None)).Total);
        var perDay = sent.Where(e => !e.SourceIp.StartsWith("198.18.", StringComparison.Ordinal))
            .GroupBy(e => DateOnly.FromDateTime(e.ObservedAt.ToDateTime()))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(perDay.Values.Order(), incidents.Events.Values.Order());
        Assert.Equal(5, incidents.Events.Count);
    }

    [Fact]
    public async Task AHolderThatLostTheLeaseRecordsNothingMoreAndStopsAggregating()
    {
        await using var test = await ClusterServices.CreateDatabaseAsync("cirtfence");
        using var database = PostgresDatabase.Open(test.ConnectionString, PostgresIngest.Scripts);
        await using var old = new PostgresAggregationLease(database, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PostgresAggregationLease>.Instance);
        await using var next = new PostgresAggregationLease(database, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PostgresAggregationLease>.Instance);
        var oldTerm = await old.AcquireAsync(CancellationToken.None);
        var oldState = new PostgresIngestStateStore(database, old, Grains.Common.CirtClock.SystemClock);
        await oldState.MarkPendingAsync(5, CancellationToken.None);

        // The old holder stalls (a long pause, a cut network) past its lease: the row expires and the next silo takes it.
        await ExecuteAsync(database, "UPDATE ingest_lease SET expires_at = '-infinity' WHERE id = 1;");
        var nextTerm = await next.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((0L, 2L), (0L, next.Epoch));

        var late = new PassRecord(5, [1, 2, 3], new ResendWindow.Placement(0, null), new TargetSightings(), false, 0,
            [new UnmatchedEvent(1, "sensor", "honeypot-1", [])], new Dictionary<string, FeedTotals> { ["honeypot-1"] = new() { Stored = 3 } }, []);
        await Assert.ThrowsAsync<IngestFencedException>(() => oldState.RecordAsync(late, Task.CompletedTask, CancellationToken.None));
        await Assert.ThrowsAsync<IngestFencedException>(() => oldState.MarkPendingAsync(9, CancellationToken.None));
        Assert.True(oldTerm.IsCancellationRequested);
        Assert.False(old.Held);
        Assert.False(nextTerm.IsCancellationRequested);

        var nextState = new PostgresIngestStateStore(database, next, Grains.Common.CirtClock.SystemClock);
        var progress = await nextState.LoadAsync(new ResendWindow(100), new DuplicateWindow(TimeSpan.FromHours(1), 100), CancellationToken.None);
        Assert.Equal(new IngestProgress(0, 5, 0), progress);
        var totals = await nextState.TotalsAsync(CancellationToken.None);
        Assert.Empty(totals.Feeds);
        Assert.Equal(0, (await nextState.UnmatchedAsync("", 0, 10, CancellationToken.None)).Total);

        // The next holder writes as usual.
        await nextState.RecordAsync(late, Task.CompletedTask, CancellationToken.None);
        Assert.Equal(5, await nextState.AppliedSeqAsync(CancellationToken.None));
    }

    /// <summary>Event <paramref name="n"/>: one of five days; every seventh from nobody's network.</summary>
    private static Proto.Event Event(int n) =>
        Events.Infected(n % 7 == 0 ? $"198.18.{n / 250}.{n % 250}" : $"100.64.{n / 250}.{n % 250}", $"event-{n}", observedAt: Observed.AddDays(n % 5));

    private static async Task<long> LatestSeqAsync(PostgresDatabase database) => await ScalarAsync(database, "SELECT seq FROM ingest_log_head;");

    private static async Task<long> PendingSeqAsync(PostgresDatabase database) => await ScalarAsync(database, "SELECT pending_seq FROM ingest_progress;");

    private static async Task<long> ScalarAsync(PostgresDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(PostgresDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
