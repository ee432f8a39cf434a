using System.Buffers;
using Cirt.Grains.Common;
using Cirt.Server.Ingest;
using Cirt.Server.Storage;
using Cirt.Tests;

namespace Cirt.Server.Tests.Ingest.Stores;

/// <summary>
/// The cluster's log under several silos appending at once: a reader that always goes on from the
/// last position it saw must see every batch, each once, in position order; a group committing
/// after a later-numbered one would be skipped for good.
/// </summary>
public sealed class PostgresIngestLogOrderTests
{
    [Fact]
    public async Task AReaderGoingOnFromTheLastPositionItSawMissesNoBatchOfConcurrentAppenders()
    {
        await using var test = await ClusterServices.CreateDatabaseAsync("cirtorder");
        const int Appenders = 4, GroupsEach = 60;
        using var database = PostgresDatabase.Open(test.ConnectionString, PostgresIngest.Scripts);
        // A store per appender, each its own silo's view of the shared log.
        var appending = Enumerable.Range(0, Appenders).Select(a => Task.Run(async () =>
        {
            var store = new PostgresIngestLogStore(database, CirtClock.SystemClock);
            await using var writer = await store.OpenWriterAsync(CancellationToken.None);
            var seqs = new List<long>();
            for (var g = 0; g < GroupsEach; g++)
            {
                var queue = new Queue<PendingBatch>(Enumerable.Range(0, 1 + g % 3).Select(b => new PendingBatch($"silo-{a}", Events.Batch(Events.Infected("100.64.0.1", $"{a}-{g}-{b}")), "")));
                var group = new List<(PendingBatch Batch, long Seq)>();
                await writer.AppendAsync(() => queue.TryDequeue(out var next) ? next : null, group, CancellationToken.None);
                seqs.AddRange(group.Select(x => x.Seq));
            }

            return seqs;
        })).ToArray();

        var reader = new PostgresIngestLogStore(database, CirtClock.SystemClock);
        var seen = new List<(long Seq, string Id)>();
        var expected = Appenders * Enumerable.Range(0, GroupsEach).Sum(g => 1 + g % 3);
        var after = 0L;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (seen.Count < expected || !Task.WhenAll(appending).IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the reader saw {seen.Count} of {expected} batches");
            var batches = await reader.ReadAsync(after, long.MaxValue, 50, CancellationToken.None);
            foreach (var batch in batches)
            {
                seen.Add((batch.Seq, Contracts.V1.EventBatch.Parser.ParseFrom(batch.Events, 0, batch.Length).Events[0].ProducerEventId));
                ArrayPool<byte>.Shared.Return(batch.Events);
            }

            if (batches.Count == 0)
            {
                await Task.Delay(10); // the aggregator looks again after its poll interval too
                continue;
            }

            after = batches[^1].Seq;
        }

        var acknowledged = (await Task.WhenAll(appending)).SelectMany(s => s).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), acknowledged);
        Assert.Equal(acknowledged, seen.Select(s => s.Seq));
        Assert.Equal(expected, seen.Select(s => s.Id).Distinct().Count());
    }
}
