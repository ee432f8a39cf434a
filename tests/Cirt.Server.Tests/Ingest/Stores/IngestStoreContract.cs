using System.Buffers;
using Cirt.Contracts.V1;
using UnmatchedEvent = Cirt.Server.Ingest.UnmatchedEvent;
using Cirt.Grains.Common;
using Cirt.Grains.Ingest;
using Cirt.Server.Ingest;
using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;

namespace Cirt.Server.Tests.Ingest.Stores;

/// <summary>
/// What every profile's ingest stores must do alike (the embedded files and the cluster's
/// PostgreSQL): the log hands positions out in order and gives batches back as appended; a recorded
/// pass is loaded back whole (windows, position, totals, unmatched events); retention deletes what
/// is old and applied, nothing else.
/// </summary>
public abstract class IngestStoreContract
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Fresh, empty stores on the business clock <see cref="Time"/>.</summary>
    protected abstract Task<IngestStores> OpenAsync(RetentionOptions retention);

    [Fact]
    public async Task GroupsTakeTheNextPositionsAndComeBackInOrderAsAppended()
    {
        await using var stores = await OpenAsync(new RetentionOptions());
        var writer = await stores.Log.OpenWriterAsync(CancellationToken.None);
        await using (writer)
        {
            Assert.Equal(0, await writer.LatestSeqAsync(CancellationToken.None));
            var first = await AppendAsync(writer, Pending("sensor-a", "honeypot-1=2", 3), Pending("sensor-b", "", 1), Pending("sensor-a", "", 2));
            var second = await AppendAsync(writer, Pending("sensor-c", "scan-feed=1", 4), Pending("sensor-a", "", 5));
            Assert.Equal([1L, 2, 3], first);
            Assert.Equal([4L, 5], second);
        }

        var all = await ReadAsync(stores.Log, 0, long.MaxValue, long.MaxValue);
        Assert.Equal([1L, 2, 3, 4, 5], all.Select(b => b.Seq));
        Assert.Equal(["sensor-a", "sensor-b", "sensor-a", "sensor-c", "sensor-a"], all.Select(b => b.Producer));
        Assert.Equal(["honeypot-1=2", "", "", "scan-feed=1", ""], all.Select(b => b.Rejected));
        Assert.Equal([3, 1, 2, 4, 5], all.Select(b => b.Events.Count));
        Assert.Equal("sensor-c-3", all[3].Events[3].ProducerEventId);
        Assert.All(all, b => Assert.Equal(Start.ToUnixTimeMilliseconds(), b.ReceivedAt));

        Assert.Equal([3L, 4], (await ReadAsync(stores.Log, 2, 4, long.MaxValue)).Select(b => b.Seq));
        // Batches until they hold the events asked for: the one that reaches the number is the last.
        Assert.Equal([1L, 2], (await ReadAsync(stores.Log, 0, long.MaxValue, 4)).Select(b => b.Seq));
        Assert.Equal([1L], (await ReadAsync(stores.Log, 0, long.MaxValue, 3)).Select(b => b.Seq));
        Assert.Equal(9, await stores.Log.EventsAfterAsync(3, CancellationToken.None));
        Assert.Equal(15, await stores.Log.EventsAfterAsync(0, CancellationToken.None));

        await using var reopened = await stores.Log.OpenWriterAsync(CancellationToken.None);
        Assert.Equal(5, await reopened.LatestSeqAsync(CancellationToken.None));
        var third = await AppendAsync(reopened, Pending("sensor-a", "", 1));
        Assert.Equal([6L], third);
    }

    [Fact]
    public async Task ARecordedPassIsLoadedBackWithItsWindowsPositionTotalsAndUnmatchedEvents()
    {
        await using var stores = await OpenAsync(new RetentionOptions());
        var resends = new ResendWindow(100);
        await stores.State.RecordAsync(Pass(resends, 7, [11, 12, 13], [(1, 100), (2, 200)], Unmatched("honeypot-1", 3), new()
        {
            ["honeypot-1"] = new FeedTotals { Stored = 5, Duplicates = 1, Unmatched = 3, Resent = 2, Rejected = 1, LastEventAt = 500 },
            ["scan-feed"] = new FeedTotals { Stored = 1, LastEventAt = 900 },
        }), Task.CompletedTask, CancellationToken.None);
        await stores.State.MarkPendingAsync(9, CancellationToken.None);
        await stores.State.RecordAsync(Pass(resends, 9, [14], [(1, 300)], Unmatched("scan-feed", 2), new()
        {
            ["honeypot-1"] = new FeedTotals { Stored = 2, Resent = 1, LastEventAt = 400 },
            ["abuse-feed"] = new FeedTotals { Rejected = 4 },
        }), Task.CompletedTask, CancellationToken.None);

        var (loadedResends, loadedDuplicates) = (new ResendWindow(100), new DuplicateWindow(TimeSpan.FromDays(3650), 100));
        var progress = await stores.State.LoadAsync(loadedResends, loadedDuplicates, CancellationToken.None);
        Assert.Equal(new IngestProgress(9, 0, 3), progress);
        Assert.True(new long[] { 11, 12, 13, 14 }.All(loadedResends.Contains));
        Assert.False(loadedResends.Contains(15));
        Assert.Equal(2, loadedDuplicates.Count);
        Assert.Equal(9, await stores.State.AppliedSeqAsync(CancellationToken.None));

        var totals = await stores.State.TotalsAsync(CancellationToken.None);
        Assert.Equal(9, totals.AggregatedSeq);
        Assert.Equal(["abuse-feed", "honeypot-1", "scan-feed"], totals.Feeds.Select(f => f.Feed));
        var honeypot = totals.Feeds[1].Totals;
        Assert.Equal((7L, 1L, 3L, 3L, 1L, 500L), (honeypot.Stored, honeypot.Duplicates, honeypot.Unmatched, honeypot.Resent, honeypot.Rejected, honeypot.LastEventAt));
        Assert.Equal(4, totals.Feeds[0].Totals.Rejected);

        var page = await stores.State.UnmatchedAsync("", 1, 3, CancellationToken.None);
        Assert.Equal(5, page.Total);
        Assert.Equal(["scan-feed-0", "honeypot-1-2", "honeypot-1-1"], page.Events.Select(e => Event.Parser.ParseFrom(e.Event).ProducerEventId));
        var scan = await stores.State.UnmatchedAsync("scan-feed", 0, 10, CancellationToken.None);
        Assert.Equal(2, scan.Total);
        Assert.Equal(["scan-feed-1", "scan-feed-0"], scan.Events.Select(e => Event.Parser.ParseFrom(e.Event).ProducerEventId));
        Assert.All(scan.Events, e => Assert.Equal(("sensor", "scan-feed", Start.ToUnixTimeMilliseconds()), (e.Producer, e.Feed, e.ReceivedAt)));
    }

    [Fact]
    public async Task APassMarkedPendingIsResumedOverTheSameRange()
    {
        await using var stores = await OpenAsync(new RetentionOptions());
        await stores.State.MarkPendingAsync(42, CancellationToken.None);

        var progress = await stores.State.LoadAsync(new ResendWindow(100), new DuplicateWindow(TimeSpan.FromHours(1), 100), CancellationToken.None);

        Assert.Equal(new IngestProgress(0, 42, 0), progress);
        Assert.Equal(0, (await stores.State.TotalsAsync(CancellationToken.None)).AggregatedSeq);
        Assert.Empty((await stores.State.TotalsAsync(CancellationToken.None)).Feeds);
    }

    [Fact]
    public async Task RetentionDeletesWhatIsOlderThanItsTimeAndNeverABatchNotYetApplied()
    {
        var retention = new RetentionOptions { IngestLog = TimeSpan.FromDays(1), Unmatched = TimeSpan.FromDays(2), ResendKeys = TimeSpan.FromDays(3), BatchRows = 2 };
        await using var stores = await OpenAsync(retention);
        await using (var writer = await stores.Log.OpenWriterAsync(CancellationToken.None))
        {
            await AppendAsync(writer, Pending("sensor", "", 1), Pending("sensor", "", 1), Pending("sensor", "", 1), Pending("sensor", "", 1), Pending("sensor", "", 1));
        }

        var resends = new ResendWindow(100);
        await stores.State.RecordAsync(Pass(resends, 3, [1, 2], [], Unmatched("honeypot-1", 3), new()), Task.CompletedTask, CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(1.5));

        // 1.5 days on: the log's batches 1-3 (applied), not 4 and 5, as old but not applied; none of the unmatched events or key runs.
        var first = await stores.Retention.PruneAsync(Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal((3L, 0L, 0L), (first.LogBatches, first.Unmatched, first.ResendRuns));
        Assert.Equal([4L, 5], (await ReadAsync(stores.Log, 0, long.MaxValue, long.MaxValue)).Select(b => b.Seq));
        await stores.State.RecordAsync(Pass(resends, 4, [3], [], Unmatched("scan-feed", 1), new()), Task.CompletedTask, CancellationToken.None);

        // 3.2 days on: the first pass's unmatched events and key run, not the second's; batch 5 is not applied.
        Time.Advance(TimeSpan.FromDays(1.7));
        var second = await stores.Retention.PruneAsync(Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal((1L, 3L, 1L), (second.LogBatches, second.Unmatched, second.ResendRuns));
        Assert.Equal([5L], (await ReadAsync(stores.Log, 0, long.MaxValue, long.MaxValue)).Select(b => b.Seq));
        Assert.Equal(1, (await stores.State.UnmatchedAsync("", 0, 10, CancellationToken.None)).Total);
        var loaded = new ResendWindow(100);
        await stores.State.LoadAsync(loaded, new DuplicateWindow(TimeSpan.FromHours(1), 100), CancellationToken.None);
        Assert.Equal((false, true), (loaded.Contains(1), loaded.Contains(3)));
    }

    protected static async Task<long[]> AppendAsync(IIngestLogWriter writer, params PendingBatch[] batches)
    {
        var queue = new Queue<PendingBatch>(batches);
        var group = new List<(PendingBatch Batch, long Seq)>();
        await writer.AppendAsync(() => queue.TryDequeue(out var next) ? next : null, group, CancellationToken.None);
        Assert.Equal(batches, group.Select(g => g.Batch));
        return group.Select(g => g.Seq).ToArray();
    }

    /// <summary>The batches as read, decoded (their pooled buffers given back).</summary>
    protected static async Task<List<(long Seq, long ReceivedAt, string Producer, string Rejected, Google.Protobuf.Collections.RepeatedField<Event> Events)>> ReadAsync(
        IIngestLogStore log, long after, long upTo, long events)
    {
        var batches = await log.ReadAsync(after, upTo, events, CancellationToken.None);
        try
        {
            return batches.Select(b => (b.Seq, b.ReceivedAt, b.Producer, b.Rejected, EventBatch.Parser.ParseFrom(b.Events, 0, b.Length).Events)).ToList();
        }
        finally
        {
            foreach (var batch in batches)
            {
                ArrayPool<byte>.Shared.Return(batch.Events);
            }
        }
    }

    protected static PendingBatch Pending(string producer, string rejected, int events) =>
        new(producer, Events.Batch(Enumerable.Range(0, events).Select(i => Events.Infected($"100.64.0.{i + 1}", $"{producer}-{i}", observedAt: Start)).ToArray()), rejected);

    private static PassRecord Pass(ResendWindow resends, long upTo, long[] keys, (ulong Key, long At)[] sightings, List<UnmatchedEvent> unmatched, Dictionary<string, FeedTotals> totals)
    {
        var placement = resends.Place(keys.Length);
        resends.Add(placement, keys);
        var targets = new TargetSightings();
        foreach (var (key, at) in sightings)
        {
            targets.Add(new TargetSighting(key, at));
        }

        return new PassRecord(upTo, [.. keys], placement, targets, false, 0, unmatched, totals, []);
    }

    private List<UnmatchedEvent> Unmatched(string feed, int count) =>
        Enumerable.Range(0, count)
            .Select(i => new UnmatchedEvent(Time.GetUtcNow().ToUnixTimeMilliseconds(), "sensor", feed, Events.Infected("198.18.0.1", $"{feed}-{i}", feed).ToByteArray()))
            .ToList();
}
