using System.Buffers;
using System.Buffers.Binary;
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
    private readonly DuplicateWindow _duplicates = new(options.Value.DuplicateWindow, options.Value.DuplicateWindowTargets);
    private readonly ResendWindow _resends = new(options.Value.ResendWindowEvents);
    private readonly Stack<HashSet<long>> _spareKeySets = new();

    /// <summary>The log position up to which events are aggregated.</summary>
    public long AggregatedSeq { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        log.Committed += Signal;
        await using var logConnection = await ingestDatabase.Log.OpenAsync(stoppingToken);
        await using var connection = await ingestDatabase.State.OpenAsync(stoppingToken);
        AggregatedSeq = await ScalarAsync(connection, "SELECT aggregated_seq FROM ingest_progress WHERE id = 1;", stoppingToken);
        var resumeUpTo = await ScalarAsync(connection, "SELECT pending_seq FROM ingest_progress WHERE id = 1;", stoppingToken);
        await ConvertKeyTableAsync(connection, AggregatedSeq, stoppingToken);
        await LoadResendWindowAsync(connection, stoppingToken);
        // Passes are pipelined: the next pass is worked out (CPU) while the previous one is written
        // (disk). The pass in flight is not in the resend window yet: its keys are checked apart.
        Pass? inFlight = null;
        var applying = Task.CompletedTask;
        var computedUpTo = AggregatedSeq;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Gather several chunks of the log into one pass: each pass writes every incident it
            // touches once, so the fewer passes, the fewer writes per event. A pass gathers for the
            // whole interval even when it has read everything there is: at a low rate, passes that
            // ended as soon as the log was read would follow each other without a pause, each one
            // writing every incident it touches for a handful of events.
            var upToAtMost = resumeUpTo > computedUpTo ? resumeUpTo : long.MaxValue;
            resumeUpTo = 0;
            var pass = new PassBuilder(computedUpTo, inFlight?.Fresh, _spareKeySets.TryPop(out var spare) ? spare : []);
            var gathering = System.Diagnostics.Stopwatch.StartNew();
            while (pass.Events < options.Value.AggregationFlushEvents && gathering.Elapsed < options.Value.AggregationFlushInterval)
            {
                var batches = await ReadBatchesAsync(logConnection, pass.UpTo, upToAtMost, stoppingToken);
                if (batches.Count == 0)
                {
                    var left = options.Value.AggregationFlushInterval - gathering.Elapsed;
                    if (pass.Batches == 0 || pass.UpTo == upToAtMost || left <= TimeSpan.Zero)
                    {
                        break;
                    }

                    await _work.WaitAsync(left, stoppingToken);
                    continue;
                }

                await ComputeAsync(batches, pass, stoppingToken);
            }

            if (pass.Batches == 0)
            {
                _spareKeySets.Push(pass.Fresh);
                if (inFlight is not null)
                {
                    await applying;
                    Applied(inFlight);
                    inFlight = null;
                    continue;
                }

                await _work.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                continue;
            }

            var computed = gathering.Elapsed;
            if (inFlight is not null)
            {
                await applying;
                Applied(inFlight);
            }

            var built = pass.Build(_resends.Place(pass.Fresh.Count));

            inFlight = built;
            computedUpTo = built.UpTo;
            applying = Task.Run(() => ApplyUntilDoneAsync(connection, built, pass, computed, stoppingToken), stoppingToken);
        }

        await applying;
    }

    /// <summary>
    /// Applies and records a pass until it succeeds: recomputing it would see its own events in the
    /// duplicate window a second time.
    /// </summary>
    private async Task ApplyUntilDoneAsync(SqliteConnection connection, Pass built, PassBuilder pass, TimeSpan computed, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var applying = System.Diagnostics.Stopwatch.StartNew();
                var incidentsWritten = await ApplyAsync(connection, built, stoppingToken);
                logger.LogDebug(
                    "Aggregated {Events} events of {Batches} batches up to {Seq}: worked out in {ComputeMs} ms, {Incidents} incidents written in {IncidentsMs} ms, the record in {ApplyMs} ms",
                    pass.Events, pass.Batches, built.UpTo, (long)computed.TotalMilliseconds, built.Aggregates.Length, (long)incidentsWritten.TotalMilliseconds, applying.ElapsedMilliseconds);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Ingest aggregation of log positions {From}-{To} failed (attempt {Attempt}); retrying",
                    AggregatedSeq + 1, built.UpTo, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt)), stoppingToken);
            }
        }
    }

    /// <summary>
    /// Once a pass is on disk its keys join the resend window (only the loop reads and writes it),
    /// and its key set, emptied but keeping its size, serves a later pass: a set of a million keys
    /// grown afresh every pass would be large-object garbage each time.
    /// </summary>
    private void Applied(Pass pass)
    {
        _resends.Add(pass.Placement, pass.Fresh);
        pass.Fresh.Clear();
        _spareKeySets.Push(pass.Fresh);
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
    private async Task ComputeAsync(List<LoggedBatch> batches, PassBuilder pass, CancellationToken cancellationToken)
    {
        var index = await routing.CurrentAsync(cancellationToken);
        // Decoding the events and hashing each event's key are most of the work, independent per
        // batch: spread over the cores. What follows depends on order and stays on this thread.
        var decoded = new EventBatch[batches.Count];
        var keys = new long[batches.Count][];
        try
        {
            Parallel.For(0, batches.Count, new ParallelOptions { CancellationToken = cancellationToken }, b =>
            {
                decoded[b] = EventBatch.Parser.ParseFrom(batches[b].Events, 0, batches[b].Length);
                keys[b] = decoded[b].Events.Select(e => EventKeys.Of(batches[b].Producer, e.ProducerEventId)).ToArray();
            });
        }
        finally
        {
            foreach (var batch in batches)
            {
                ArrayPool<byte>.Shared.Return(batch.Events);
            }
        }

        var (fresh, previous, stats, unmatched, aggregates) = (pass.Fresh, pass.Previous, pass.Stats, pass.Unmatched, pass.Aggregates);

        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            foreach (var (feed, count) in ParseRejected(batch.Rejected))
            {
                Totals(stats, feed).Rejected += count;
            }

            var events = decoded[b].Events;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var totals = Totals(stats, e.Feed);
                var key = keys[b][i];
                if (_resends.Contains(key) || previous.Contains(key) || !fresh.Add(key))
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
                    // Kept encoded until the pass is recorded: far smaller than the decoded event.
                    unmatched.Add((batch.ReceivedAt, batch.Producer, e.Feed, e.ToByteArray()));
                    continue;
                }

                var day = DateOnly.FromDateTime(observedAt.UtcDateTime);
                var aggregateKey = (owner, e.RsitClass, e.RsitType, day);
                if (!aggregates.TryGetValue(aggregateKey, out var builder))
                {
                    aggregates[aggregateKey] = builder = new AggregateBuilder(owner, e.RsitClass, e.RsitType, day);
                }

                builder.Add(e, duplicate);
            }
        }

        pass.UpTo = batches[^1].Seq;
        pass.Batches += batches.Count;
        pass.Events += decoded.Sum(d => d.Events.Count);
    }

    /// <summary>
    /// Updates the incidents (idempotent by log position), then records the pass and its end in one
    /// transaction. Returns how long the incidents took.
    /// </summary>
    private async Task<TimeSpan> ApplyAsync(SqliteConnection connection, Pass pass, CancellationToken cancellationToken)
    {
        await using (var pending = connection.CreateCommand())
        {
            pending.CommandText = "UPDATE ingest_progress SET pending_seq = $seq WHERE id = 1;";
            pending.Parameters.AddWithValue("$seq", pass.UpTo);
            await pending.ExecuteNonQueryAsync(cancellationToken);
        }

        // The incidents (grain storage) and the pass's record (the ingest state) are written at the
        // same time; the record commits only once every incident is updated. Many incidents at once:
        // their writes queue for the file's writer anyway, and the more wait together, the larger
        // the read model's group commits.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var incidentsWritten = TimeSpan.Zero;
        var incidents = WriteIncidentsAsync();
        async Task WriteIncidentsAsync()
        {
            await Parallel.ForEachAsync(pass.Aggregates, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
                async (aggregate, _) => await grains.GetGrain<IEventAggregateGrain>(aggregate.Key).ApplyAsync(aggregate));
            incidentsWritten = started.Elapsed;
        }

        try
        {
            await RecordAsync(connection, pass, incidents, cancellationToken);
        }
        finally
        {
            await incidents.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        AggregatedSeq = pass.UpTo;
        return incidentsWritten;
    }

    /// <summary>
    /// Loads the resend window from its runs, oldest first: the keys of the last passes, as many as
    /// the window remembers (older generations were deleted when they were forgotten).
    /// </summary>
    private async Task LoadResendWindowAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT generation, keys FROM ingest_key_run ORDER BY id;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (buffer, length) = await PooledBlob.RentAndReadAsync(reader, 1, cancellationToken);
            try
            {
                _resends.Add(new ResendWindow.Placement(reader.GetInt64(0), null), KeysIn(buffer, length / sizeof(long)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        logger.LogInformation("Ingest resend window loaded: {Keys} event keys of generation {Generation} and the one before", _resends.Count, _resends.Generation);
    }

    private static IEnumerable<long> KeysIn(byte[] buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(i * sizeof(long), sizeof(long)));
        }
    }

    /// <summary>
    /// Data folders written before resend runs kept every event key in a table of its own (one random
    /// insert each, on every pass): moves them into runs, the way passes record them now, once.
    /// </summary>
    private async Task ConvertKeyTableAsync(SqliteConnection connection, long upTo, CancellationToken cancellationToken)
    {
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ingest_event_key';";
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                return;
            }
        }

        var keys = new List<long>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT key FROM ingest_event_key;";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add(reader.GetInt64(0));
            }
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        // Placed as passes would be (the window's generations decide which runs are kept); the runs
        // are read back into the window right after, like any start.
        foreach (var chunk in keys.Chunk((int)Math.Min(_resends.Capacity / 2, options.Value.AggregationFlushEvents)))
        {
            var placement = _resends.Place(chunk.Length);
            await WriteRunAsync(connection, transaction, upTo, placement, chunk, cancellationToken);
            _resends.Add(placement, chunk);
        }

        await using (var drop = connection.CreateCommand())
        {
            drop.Transaction = transaction;
            drop.CommandText = "DROP TABLE ingest_event_key;";
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Ingest event keys moved into resend runs: {Keys} keys, the last {Kept} kept", keys.Count, _resends.Count);
    }

    /// <summary>
    /// Records a pass's new keys as one run (a blob of 64-bit little-endian keys: written in one
    /// sequential piece, where a table row per key dirtied a random page per key), and deletes the
    /// runs of the generations the window forgets.
    /// </summary>
    private static async Task WriteRunAsync(
        SqliteConnection connection, SqliteTransaction transaction, long upTo, ResendWindow.Placement placement, IReadOnlyCollection<long> keys,
        CancellationToken cancellationToken)
    {
        if (placement.Forgotten is { } forgotten)
        {
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM ingest_key_run WHERE generation <= $forgotten;";
            delete.Parameters.AddWithValue("$forgotten", forgotten);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        if (keys.Count == 0)
        {
            return;
        }

        var size = keys.Count * sizeof(long);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO ingest_key_run (up_to_seq, generation, keys) VALUES ($upTo, $generation, zeroblob($size))
            RETURNING id;
            """;
        insert.Parameters.AddWithValue("$upTo", upTo);
        insert.Parameters.AddWithValue("$generation", placement.Generation);
        insert.Parameters.AddWithValue("$size", size);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        PooledBlob.Write(connection, "ingest_key_run", "keys", id, size, keys, static (span, all) =>
        {
            var at = 0;
            foreach (var key in all)
            {
                BinaryPrimitives.WriteInt64LittleEndian(span[at..], key);
                at += sizeof(long);
            }
        });
    }

    private async Task<List<LoggedBatch>> ReadBatchesAsync(
        SqliteConnection connection, long after, long upToAtMost, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, received_at, producer, events, rejected, event_count FROM ingest_batch WHERE seq > $from AND seq <= $to ORDER BY seq LIMIT 5000;";
        command.Parameters.AddWithValue("$from", after);
        command.Parameters.AddWithValue("$to", upToAtMost);
        var batches = new List<LoggedBatch>();
        var events = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (events < options.Value.AggregationPassEvents && await reader.ReadAsync(cancellationToken))
        {
            var (buffer, length) = await PooledBlob.RentAndReadAsync(reader, 3, cancellationToken);
            batches.Add(new LoggedBatch(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), buffer, length, reader.GetString(4)));
            events += reader.GetInt32(5);
        }

        return batches;
    }

    private static async Task RecordAsync(SqliteConnection connection, Pass pass, Task incidentsWritten, CancellationToken cancellationToken)
    {
        var (fresh, unmatched, stats, upTo) = (pass.Fresh, pass.Unmatched, pass.Stats, pass.UpTo);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        await WriteRunAsync(connection, transaction, upTo, pass.Placement, fresh, cancellationToken);
        await using (var insertUnmatched = connection.CreateCommand())
        {
            insertUnmatched.Transaction = transaction;
            insertUnmatched.CommandText = "INSERT INTO ingest_unmatched (received_at, producer, feed, event) VALUES ($at, $producer, $feed, $event);";
            var at = insertUnmatched.Parameters.Add("$at", SqliteType.Integer);
            var producer = insertUnmatched.Parameters.Add("$producer", SqliteType.Text);
            var feed = insertUnmatched.Parameters.Add("$feed", SqliteType.Text);
            var blob = insertUnmatched.Parameters.Add("$event", SqliteType.Blob);
            foreach (var (receivedAt, by, from, encoded) in unmatched)
            {
                at.Value = receivedAt;
                producer.Value = by;
                feed.Value = from;
                blob.Value = encoded;
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

        await incidentsWritten;
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

    /// <summary>One batch as the log holds it; its events (a cirt.v1.EventBatch) still encoded, in the first Length bytes of a pooled buffer.</summary>
    private sealed record LoggedBatch(long Seq, long ReceivedAt, string Producer, byte[] Events, int Length, string Rejected);

    /// <summary>A pass being gathered, chunk after chunk of the log.</summary>
    private sealed class PassBuilder(long after, HashSet<long>? previous, HashSet<long> fresh)
    {
        private static readonly HashSet<long> None = [];

        /// <summary>The keys of the pass still being written, not yet in the resend window.</summary>
        public HashSet<long> Previous { get; } = previous ?? None;

        public long UpTo { get; set; } = after;

        public int Batches { get; set; }

        public long Events { get; set; }

        public HashSet<long> Fresh { get; } = fresh;

        public Dictionary<string, FeedTotals> Stats { get; } = new(StringComparer.Ordinal);

        public List<(long ReceivedAt, string Producer, string Feed, byte[] Event)> Unmatched { get; } = [];

        public Dictionary<(string Stakeholder, string RsitClass, string RsitType, DateOnly Day), AggregateBuilder> Aggregates { get; } = [];

        public Pass Build(ResendWindow.Placement placement) =>
            new(UpTo, Fresh, placement, Unmatched, Stats, Aggregates.Values.Select(b => b.Build(UpTo)).ToArray());
    }

    private sealed record Pass(
        long UpTo,
        HashSet<long> Fresh,
        ResendWindow.Placement Placement,
        List<(long ReceivedAt, string Producer, string Feed, byte[] Event)> Unmatched,
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
