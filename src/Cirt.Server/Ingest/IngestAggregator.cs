using System.Net;
using System.Globalization;
using Cirt.Contracts.V1;
using Cirt.Grains.Ingest;
using Cirt.Server.Storage;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Observable = Cirt.Grains.Incidents.Observable;
using ObservableType = Cirt.Grains.Incidents.ObservableType;

namespace Cirt.Server.Ingest;

/// <summary>
/// Reads the ingest log in order, behind the acknowledgements: drops resent events (same producer
/// and producer_event_id), routes each new event to its stakeholder, marks repeats within the
/// duplicate window, aggregates events into incidents per stakeholder, RSIT type and day, and keeps
/// the unmatched events and per-feed totals. Each pass first updates the incidents (idempotent by
/// log position), then records its results and its position in one transaction: after a crash it
/// resumes where it stopped and counts nothing twice.
/// </summary>
public sealed class IngestAggregator(
    IngestDatabase ingestDatabase,
    IngestLog log,
    ConstituencyIndexProvider routing,
    IGrainFactory grains,
    IOptions<IngestOptions> options,
    ILogger<IngestAggregator> logger) : BackgroundService
{
    private const int ObservablesPerAggregatePass = 50;
    private readonly SemaphoreSlim _work = new(0);
    private readonly DuplicateWindow _duplicates = new(options.Value.DuplicateWindow);
    private readonly EventKeyFilter _stored = new();

    /// <summary>The log position up to which events are aggregated.</summary>
    public long AggregatedSeq { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        log.Committed += Signal;
        await using var logConnection = await ingestDatabase.Log.OpenAsync(stoppingToken);
        await using var connection = await ingestDatabase.State.OpenAsync(stoppingToken);
        AggregatedSeq = await ScalarAsync(connection, "SELECT aggregated_seq FROM ingest_progress WHERE id = 1;", stoppingToken);
        var resumeUpTo = await ScalarAsync(connection, "SELECT pending_seq FROM ingest_progress WHERE id = 1;", stoppingToken);
        await using (var cache = connection.CreateCommand())
        {
            // The key table is the aggregator's hot index: give its pages room to stay in memory.
            cache.CommandText = "PRAGMA cache_size = -131072;";
            await cache.ExecuteNonQueryAsync(stoppingToken);
        }

        await LoadKeyFilterAsync(connection, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Gather several chunks of the log into one pass: each pass writes every incident it
            // touches once, so the fewer passes, the fewer writes per event.
            var upToAtMost = resumeUpTo > AggregatedSeq ? resumeUpTo : long.MaxValue;
            resumeUpTo = 0;
            var pass = new PassBuilder(AggregatedSeq);
            var gathering = System.Diagnostics.Stopwatch.StartNew();
            while (pass.Events < options.Value.AggregationFlushEvents && gathering.Elapsed < options.Value.AggregationFlushInterval)
            {
                var batches = await ReadBatchesAsync(logConnection, pass.UpTo, upToAtMost, stoppingToken);
                if (batches.Count == 0)
                {
                    break;
                }

                await ComputeAsync(connection, batches, pass, stoppingToken);
            }

            if (pass.Batches == 0)
            {
                await _work.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                continue;
            }

            var computed = gathering.Elapsed;
            var built = pass.Build();
            // Apply and record the same pass until it succeeds: recomputing it would see its own
            // events in the duplicate window a second time.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var applying = System.Diagnostics.Stopwatch.StartNew();
                    await ApplyAsync(connection, built, stoppingToken);
                    logger.LogDebug(
                        "Aggregated {Events} events of {Batches} batches up to {Seq}: worked out in {ComputeMs} ms, {Incidents} incidents and the record written in {ApplyMs} ms",
                        pass.Events, pass.Batches, built.UpTo, (long)computed.TotalMilliseconds, built.Aggregates.Length, applying.ElapsedMilliseconds);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Ingest aggregation of log positions {From}-{To} failed (attempt {Attempt}); retrying",
                        AggregatedSeq + 1, built.UpTo, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt)), stoppingToken);
                }
            }
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        log.Committed -= Signal;
        return base.StopAsync(cancellationToken);
    }

    private void Signal()
    {
        if (_work.CurrentCount == 0)
        {
            _work.Release();
        }
    }

    /// <summary>Adds what the next batches of the log bring to the pass: new events, routing, duplicates, aggregates, totals.</summary>
    private async Task ComputeAsync(
        SqliteConnection connection, List<(long Seq, long ReceivedAt, string Producer, EventBatch Events, string Rejected)> batches,
        PassBuilder pass, CancellationToken cancellationToken)
    {
        var index = await routing.CurrentAsync(cancellationToken);
        // Each event's key, once: hashing is a good part of the work.
        var keys = batches.Select(b => b.Events.Events.Select(e => EventKeys.Of(b.Producer, e.ProducerEventId)).ToArray()).ToArray();
        // Only keys the filter cannot rule out need a look on disk: resends, and a few false positives.
        var candidates = keys.SelectMany(k => k).Where(_stored.MightContain).Distinct().ToArray();
        var known = await ExistingKeysAsync(connection, candidates, cancellationToken);
        var (fresh, stats, unmatched, aggregates) = (pass.Fresh, pass.Stats, pass.Unmatched, pass.Aggregates);

        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            foreach (var (feed, count) in ParseRejected(batch.Rejected))
            {
                Totals(stats, feed).Rejected += count;
            }

            for (var i = 0; i < batch.Events.Events.Count; i++)
            {
                var e = batch.Events.Events[i];
                var totals = Totals(stats, e.Feed);
                var key = keys[b][i];
                if (known.Contains(key) || !fresh.Add(key))
                {
                    totals.Resent++;
                    continue;
                }

                var observedAt = e.ObservedAt.ToDateTimeOffset();
                totals.Stored++;
                totals.LastEventAt = Math.Max(totals.LastEventAt, observedAt.ToUnixTimeMilliseconds());
                var duplicate = _duplicates.IsDuplicate(e.Feed, e.RsitType, TargetOf(e), observedAt);
                if (duplicate)
                {
                    totals.Duplicates++;
                }

                // Stored events carry addresses in standard form already (checked and canonicalised on the way in).
                var owner = index.Route(e.SourceIp.Length > 0 && IPAddress.TryParse(e.SourceIp, out var source) ? source : null, e.SourceAsn, e.Fqdn);
                if (owner is null)
                {
                    totals.Unmatched++;
                    unmatched.Add((batch.ReceivedAt, batch.Producer, e));
                    continue;
                }

                var day = DateOnly.FromDateTime(observedAt.UtcDateTime);
                var aggregateKey = EventAggregate.KeyOf(owner, e.RsitClass, e.RsitType, day);
                if (!aggregates.TryGetValue(aggregateKey, out var builder))
                {
                    aggregates[aggregateKey] = builder = new AggregateBuilder(owner, e.RsitClass, e.RsitType, day);
                }

                builder.Add(e, duplicate);
            }
        }

        pass.UpTo = batches[^1].Seq;
        pass.Batches += batches.Count;
        pass.Events += batches.Sum(b => b.Events.Events.Count);
    }

    /// <summary>Updates the incidents (idempotent by log position), then records the pass and its end in one transaction.</summary>
    private async Task ApplyAsync(SqliteConnection connection, Pass pass, CancellationToken cancellationToken)
    {
        await using (var pending = connection.CreateCommand())
        {
            pending.CommandText = "UPDATE ingest_progress SET pending_seq = $seq WHERE id = 1;";
            pending.Parameters.AddWithValue("$seq", pass.UpTo);
            await pending.ExecuteNonQueryAsync(cancellationToken);
        }

        await Parallel.ForEachAsync(pass.Aggregates, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (aggregate, _) => await grains.GetGrain<IEventAggregateGrain>(aggregate.Key).ApplyAsync(aggregate));

        await RecordAsync(connection, pass.Fresh, pass.Unmatched, pass.Stats, pass.UpTo, cancellationToken);
        foreach (var key in pass.Fresh)
        {
            _stored.Add(key);
        }

        AggregatedSeq = pass.UpTo;
    }

    private async Task LoadKeyFilterAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key FROM ingest_event_key;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _stored.Add(reader.GetInt64(0));
        }

        logger.LogInformation("Ingest key filter loaded: {Keys} stored event keys", _stored.Count);
    }

    private async Task<List<(long Seq, long ReceivedAt, string Producer, EventBatch Events, string Rejected)>> ReadBatchesAsync(
        SqliteConnection connection, long after, long upToAtMost, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, received_at, producer, events, rejected, event_count FROM ingest_batch WHERE seq > $from AND seq <= $to ORDER BY seq LIMIT 5000;";
        command.Parameters.AddWithValue("$from", after);
        command.Parameters.AddWithValue("$to", upToAtMost);
        var batches = new List<(long, long, string, EventBatch, string)>();
        var events = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (events < options.Value.AggregationPassEvents && await reader.ReadAsync(cancellationToken))
        {
            batches.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), EventBatch.Parser.ParseFrom((byte[])reader[3]), reader.GetString(4)));
            events += reader.GetInt32(5);
        }

        return batches;
    }

    private static async Task<HashSet<long>> ExistingKeysAsync(SqliteConnection connection, long[] keys, CancellationToken cancellationToken)
    {
        const int Chunk = 900;
        var existing = new HashSet<long>();
        for (var start = 0; start < keys.Length; start += Chunk)
        {
            var part = keys.AsSpan(start, Math.Min(Chunk, keys.Length - start)).ToArray();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT key FROM ingest_event_key WHERE key IN ({string.Join(", ", part.Select((_, i) => "$k" + i))});";
            for (var i = 0; i < part.Length; i++)
            {
                command.Parameters.AddWithValue("$k" + i, part[i]);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add(reader.GetInt64(0));
            }
        }

        return existing;
    }

    private static async Task RecordAsync(
        SqliteConnection connection, HashSet<long> fresh, List<(long ReceivedAt, string Producer, Event Event)> unmatched,
        Dictionary<string, FeedTotals> stats, long upTo, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        await using (var insertKey = connection.CreateCommand())
        {
            insertKey.Transaction = transaction;
            insertKey.CommandText = "INSERT OR IGNORE INTO ingest_event_key (key) VALUES ($key);";
            var key = insertKey.Parameters.Add("$key", SqliteType.Integer);
            // In key order: neighbouring inserts touch neighbouring pages.
            foreach (var k in fresh.Order())
            {
                key.Value = k;
                await insertKey.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var insertUnmatched = connection.CreateCommand())
        {
            insertUnmatched.Transaction = transaction;
            insertUnmatched.CommandText = "INSERT INTO ingest_unmatched (received_at, producer, feed, event) VALUES ($at, $producer, $feed, $event);";
            var at = insertUnmatched.Parameters.Add("$at", SqliteType.Integer);
            var producer = insertUnmatched.Parameters.Add("$producer", SqliteType.Text);
            var feed = insertUnmatched.Parameters.Add("$feed", SqliteType.Text);
            var blob = insertUnmatched.Parameters.Add("$event", SqliteType.Blob);
            foreach (var (receivedAt, by, e) in unmatched)
            {
                at.Value = receivedAt;
                producer.Value = by;
                feed.Value = e.Feed;
                blob.Value = e.ToByteArray();
                await insertUnmatched.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO ingest_feed_stats (feed, stored, duplicates, unmatched, resent, rejected, last_event_at)
                VALUES ($feed, $stored, $duplicates, $unmatched, $resent, $rejected, $last)
                ON CONFLICT (feed) DO UPDATE SET
                    stored = stored + excluded.stored, duplicates = duplicates + excluded.duplicates,
                    unmatched = unmatched + excluded.unmatched, resent = resent + excluded.resent,
                    rejected = rejected + excluded.rejected, last_event_at = max(last_event_at, excluded.last_event_at);
                """;
            foreach (var (feed, t) in stats)
            {
                upsert.Parameters.Clear();
                upsert.Parameters.AddWithValue("$feed", feed);
                upsert.Parameters.AddWithValue("$stored", t.Stored);
                upsert.Parameters.AddWithValue("$duplicates", t.Duplicates);
                upsert.Parameters.AddWithValue("$unmatched", t.Unmatched);
                upsert.Parameters.AddWithValue("$resent", t.Resent);
                upsert.Parameters.AddWithValue("$rejected", t.Rejected);
                upsert.Parameters.AddWithValue("$last", t.LastEventAt);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var progress = connection.CreateCommand())
        {
            progress.Transaction = transaction;
            progress.CommandText = "UPDATE ingest_progress SET aggregated_seq = $seq, pending_seq = 0 WHERE id = 1;";
            progress.Parameters.AddWithValue("$seq", upTo);
            await progress.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>What "the same target" means for deduplication: the source address, else the FQDN, else the URL, else the identifier.</summary>
    private static string TargetOf(Event e) =>
        e.SourceIp.Length > 0 ? e.SourceIp : e.Fqdn.Length > 0 ? e.Fqdn : e.Url.Length > 0 ? e.Url : e.Identifier;

    private static FeedTotals Totals(Dictionary<string, FeedTotals> stats, string feed)
    {
        if (!stats.TryGetValue(feed, out var totals))
        {
            stats[feed] = totals = new FeedTotals();
        }

        return totals;
    }

    private static IEnumerable<(string Feed, long Count)> ParseRejected(string rejected) =>
        rejected.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => (Uri.UnescapeDataString(parts[0]), long.Parse(parts[1], CultureInfo.InvariantCulture)));

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A pass being gathered, chunk after chunk of the log.</summary>
    private sealed class PassBuilder(long after)
    {
        public long UpTo { get; set; } = after;

        public int Batches { get; set; }

        public long Events { get; set; }

        public HashSet<long> Fresh { get; } = [];

        public Dictionary<string, FeedTotals> Stats { get; } = new(StringComparer.Ordinal);

        public List<(long ReceivedAt, string Producer, Event Event)> Unmatched { get; } = [];

        public Dictionary<string, AggregateBuilder> Aggregates { get; } = new(StringComparer.Ordinal);

        public Pass Build() => new(UpTo, Fresh, Unmatched, Stats, Aggregates.Values.Select(b => b.Build(UpTo)).ToArray());
    }

    private sealed record Pass(
        long UpTo,
        HashSet<long> Fresh,
        List<(long ReceivedAt, string Producer, Event Event)> Unmatched,
        Dictionary<string, FeedTotals> Stats,
        EventAggregate[] Aggregates);

    private sealed class FeedTotals
    {
        public long Stored { get; set; }

        public long Duplicates { get; set; }

        public long Unmatched { get; set; }

        public long Resent { get; set; }

        public long Rejected { get; set; }

        public long LastEventAt { get; set; }
    }

    private sealed class AggregateBuilder(string stakeholderId, string rsitClass, string rsitType, DateOnly day)
    {
        private readonly List<Observable> _observables = [];
        private readonly HashSet<string> _malware = new(StringComparer.Ordinal);
        private readonly HashSet<string> _feeds = new(StringComparer.Ordinal);
        private long _new;
        private long _duplicates;

        public string Key { get; } = EventAggregate.KeyOf(stakeholderId, rsitClass, rsitType, day);

        public void Add(Event e, bool duplicate)
        {
            _new++;
            if (duplicate)
            {
                _duplicates++;
            }

            _feeds.Add(e.Feed);
            if (e.MalwareFamily.Length > 0)
            {
                _malware.Add(e.MalwareFamily);
            }

            if (!duplicate && _observables.Count < ObservablesPerAggregatePass)
            {
                if (e.SourceIp.Length > 0)
                {
                    _observables.Add(new Observable(ObservableType.IpAddress, e.SourceIp, $"{e.Feed}: {e.MalwareFamily}".TrimEnd(' ', ':')));
                }
                else if (e.Fqdn.Length > 0)
                {
                    _observables.Add(new Observable(ObservableType.Domain, e.Fqdn, e.Feed));
                }
            }
        }

        public EventAggregate Build(long upTo) => new(
            stakeholderId, rsitClass, rsitType, day, upTo, _new, _duplicates, _observables.ToArray(),
            _malware.Order(StringComparer.Ordinal).ToArray(), _feeds.Order(StringComparer.Ordinal).ToArray());
    }
}
