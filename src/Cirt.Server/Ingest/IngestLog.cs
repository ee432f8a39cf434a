using System.Diagnostics;
using System.Threading.Channels;
using Cirt.Grains.Common;
using Cirt.Server.Storage;
using Cirt.Server.Telemetry;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Ingest;

/// <summary>
/// The durable ingest log (data/ingest.db) with group commit: producers queue batches (a bounded
/// queue, so a server that cannot keep up slows them down); one writer commits every queued batch in
/// one transaction, one fsync, and only then completes them: an acknowledgement means the events are
/// on disk. The aggregator reads it back in order (<see cref="ReadAsync"/>).
/// </summary>
public sealed class IngestLog(IngestDatabase ingestDatabase, IOptions<IngestOptions> options, IngestMeter meter, CirtClock clock, ILogger<IngestLog> logger)
    : BackgroundService
{
    private readonly Channel<PendingBatch> _queue = Channel.CreateBounded<PendingBatch>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Raised after each commit, so the aggregator can start at once.</summary>
    public event Action? Committed;

    private long _committedSeq;

    /// <summary>The log position of the latest durable batch (0 before the first one).</summary>
    public long CommittedSeq => Volatile.Read(ref _committedSeq);

    public int Queued => _queue.Reader.Count;

    /// <summary>
    /// Queues a batch; waits for room at most the configured time. False when there was no room:
    /// the caller answers RESOURCE_EXHAUSTED.
    /// </summary>
    public async Task<bool> TryEnqueueAsync(PendingBatch batch, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(batch))
        {
            return true;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.EnqueueTimeout);
        // Wait for room, then offer the batch: the queue only ever takes a batch from TryWrite, so a
        // timed-out wait can never leave queued a batch whose producer was told to resend it.
        try
        {
            while (await _queue.Writer.WaitToWriteAsync(timeout.Token))
            {
                if (_queue.Writer.TryWrite(batch))
                {
                    return true;
                }
            }

            return false; // shutting down
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// The batches after log position <paramref name="after"/>, up to <paramref name="upTo"/>, in
    /// order, until they hold at least <paramref name="events"/> events: still encoded, in buffers the
    /// caller returns to the shared pool.
    /// </summary>
    public async Task<List<LoggedBatch>> ReadAsync(long after, long upTo, long events, CancellationToken cancellationToken)
    {
        await using var connection = await ingestDatabase.Log.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, received_at, producer, events, rejected, event_count FROM ingest_batch WHERE seq > $from AND seq <= $to ORDER BY seq LIMIT 5000;";
        command.Parameters.AddWithValue("$from", after);
        command.Parameters.AddWithValue("$to", upTo);
        var batches = new List<LoggedBatch>();
        var read = 0L;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (read < events && await reader.ReadAsync(cancellationToken))
        {
            var (buffer, length) = await PooledBlob.RentAndReadAsync(reader, 3, cancellationToken);
            batches.Add(new LoggedBatch(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), buffer, length, reader.GetString(4)));
            read += reader.GetInt32(5);
        }

        return batches;
    }

    /// <summary>How many events the log holds after position <paramref name="seq"/>.</summary>
    public async Task<long> EventsAfterAsync(long seq, CancellationToken cancellationToken)
    {
        await using var connection = await ingestDatabase.Log.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(event_count), 0) FROM ingest_batch WHERE seq > $seq;";
        command.Parameters.AddWithValue("$seq", seq);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = await ingestDatabase.Log.OpenAsync(stoppingToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO ingest_batch (received_at, producer, event_count, events, rejected)
            VALUES ($at, $producer, $count, zeroblob($size), $rejected)
            RETURNING seq;
            """;
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var producer = insert.Parameters.Add("$producer", SqliteType.Text);
        var count = insert.Parameters.Add("$count", SqliteType.Integer);
        var size = insert.Parameters.Add("$size", SqliteType.Integer);
        var rejected = insert.Parameters.Add("$rejected", SqliteType.Text);
        await using (var manual = connection.CreateCommand())
        {
            // Checkpoints happen beside the writer (CheckpointAsync), never inside a group commit
            // that producers wait for. When the retention pruner holds the file's writer (one short
            // transaction), SQLite's own busy handler retries within milliseconds; left to
            // Microsoft.Data.Sqlite, the commit would retry after 150 ms (measured).
            manual.CommandText = "PRAGMA wal_autocheckpoint = 0; PRAGMA busy_timeout = 30000;";
            await manual.ExecuteNonQueryAsync(stoppingToken);
        }

        await using (var latest = connection.CreateCommand())
        {
            latest.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM ingest_batch;";
            Volatile.Write(ref _committedSeq, (long)(await latest.ExecuteScalarAsync(stoppingToken))!);
        }

        var checkpointing = Task.Run(() => CheckpointAsync(stoppingToken), stoppingToken);
        var group = new List<(PendingBatch Batch, long Seq)>(options.Value.MaxGroupBatches);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            group.Clear();
            using var activity = CirtActivities.Source.StartActivity("ingest commit");
            // In the log's writer slot: a backup holds it for a moment to take its consistent point
            // (Backup/WriterBarrier), and so must anything else that writes to the log.
            var committed = await ingestDatabase.Log.WriteAsync(async () =>
            {
                try
                {
                    await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(stoppingToken);
                    insert.Transaction = transaction;
                    var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                    while (group.Count < options.Value.MaxGroupBatches && _queue.Reader.TryRead(out var batch))
                    {
                        at.Value = now;
                        producer.Value = batch.Producer;
                        count.Value = batch.Accepted.Events.Count;
                        var bytes = batch.Accepted.CalculateSize();
                        size.Value = bytes;
                        rejected.Value = batch.RejectedByFeed;
                        var seq = (long)(await insert.ExecuteScalarAsync(stoppingToken))!;
                        PooledBlob.Write(connection, "ingest_batch", "events", seq, bytes, batch.Accepted, static (span, events) => events.WriteTo(span));
                        group.Add((batch, seq));
                    }

                    await transaction.CommitAsync(stoppingToken);
                    return true;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                    // A full disk is logged by StorageHealth, once and then a line a minute, not per commit.
                    ingestDatabase.Log.Refused(ex);
                    if (!StorageFull.Is(ex))
                    {
                        logger.LogError(ex, "Ingest commit of {Batches} batch(es) failed; producers are told to resend", group.Count);
                    }

                    foreach (var (batch, _) in group)
                    {
                        batch.Durable.TrySetException(ex);
                    }

                    return false;
                }
            });
            if (!committed)
            {
                continue;
            }

            activity?.SetTag("cirt.ingest.batches", group.Count);
            foreach (var (batch, seq) in group)
            {
                meter.Stored(batch.Accepted.Events.Count);
                Volatile.Write(ref _committedSeq, seq);
                batch.Durable.TrySetResult(seq);
            }

            Committed?.Invoke();
        }

        await checkpointing;
    }

    /// <summary>
    /// Every second, copies what the write-ahead log holds into the log's database file, on a
    /// connection of its own. Left to SQLite, the commit that crosses the size threshold would do
    /// it, fsync included, while every producer in that group waits for its acknowledgement. A
    /// passive checkpoint never blocks the writer; once it has caught up, the writer starts the
    /// write-ahead log over from the beginning, so the file does not grow without end.
    /// </summary>
    private async Task CheckpointAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var connection = await ingestDatabase.Log.OpenAsync(stoppingToken);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await checkpoint.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (SqliteException ex) when (StorageFull.Is(ex))
                {
                    ingestDatabase.Log.Refused(ex); // a full disk: logged once by StorageHealth, not every second
                }
                catch (SqliteException ex)
                {
                    logger.LogWarning(ex, "Checkpoint of the ingest log failed; it is tried again in a second");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        while (_queue.Reader.TryRead(out var left))
        {
            left.Durable.TrySetCanceled(cancellationToken);
        }
    }
}
