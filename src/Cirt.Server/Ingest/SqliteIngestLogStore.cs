using Cirt.Grains.Common;
using Cirt.Server.Storage;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Ingest;

/// <summary>
/// The embedded profile's ingest log (data/ingest.db): a group of batches per transaction, one
/// fsync, written in the file's writer slot; the write-ahead log checkpointed beside the writer.
/// </summary>
public sealed class SqliteIngestLogStore(IngestDatabase ingestDatabase, CirtClock clock, ILogger<IngestLog> logger) : IIngestLogStore
{
    public TimeSpan? PollInterval => null;

    public async Task<IIngestLogWriter> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await ingestDatabase.Log.OpenAsync(cancellationToken);
        try
        {
            await using var manual = connection.CreateCommand();
            // Checkpoints happen beside the writer (MaintainAsync), never inside a group commit
            // that producers wait for. When the retention pruner holds the file's writer (one short
            // transaction), SQLite's own busy handler retries within milliseconds; left to
            // Microsoft.Data.Sqlite, the commit would retry after 150 ms (measured).
            manual.CommandText = "PRAGMA wal_autocheckpoint = 0; PRAGMA busy_timeout = 30000;";
            await manual.ExecuteNonQueryAsync(cancellationToken);
            return new Writer(ingestDatabase.Log, connection, clock);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

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

    public async Task<long> EventsAfterAsync(long seq, CancellationToken cancellationToken)
    {
        await using var connection = await ingestDatabase.Log.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(event_count), 0) FROM ingest_batch WHERE seq > $seq;";
        command.Parameters.AddWithValue("$seq", seq);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Every second, copies what the write-ahead log holds into the log's database file, on a
    /// connection of its own. Left to SQLite, the commit that crosses the size threshold would do
    /// it, fsync included, while every producer in that group waits for its acknowledgement. A
    /// passive checkpoint never blocks the writer; once it has caught up, the writer starts the
    /// write-ahead log over from the beginning, so the file does not grow without end.
    /// </summary>
    public async Task MaintainAsync(CancellationToken stoppingToken)
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

    /// <summary>The group commit on one connection, its insert prepared once.</summary>
    private sealed class Writer : IIngestLogWriter
    {
        private readonly SqliteDatabase _log;
        private readonly SqliteConnection _connection;
        private readonly CirtClock _clock;
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter _at, _producer, _count, _size, _rejected;

        public Writer(SqliteDatabase log, SqliteConnection connection, CirtClock clock)
        {
            (_log, _connection, _clock) = (log, connection, clock);
            _insert = connection.CreateCommand();
            _insert.CommandText = """
                INSERT INTO ingest_batch (received_at, producer, event_count, events, rejected)
                VALUES ($at, $producer, $count, zeroblob($size), $rejected)
                RETURNING seq;
                """;
            _at = _insert.Parameters.Add("$at", SqliteType.Integer);
            _producer = _insert.Parameters.Add("$producer", SqliteType.Text);
            _count = _insert.Parameters.Add("$count", SqliteType.Integer);
            _size = _insert.Parameters.Add("$size", SqliteType.Integer);
            _rejected = _insert.Parameters.Add("$rejected", SqliteType.Text);
        }

        public async Task<long> LatestSeqAsync(CancellationToken cancellationToken)
        {
            await using var latest = _connection.CreateCommand();
            latest.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM ingest_batch;";
            return (long)(await latest.ExecuteScalarAsync(cancellationToken))!;
        }

        public Task AppendAsync(Func<PendingBatch?> next, List<(PendingBatch Batch, long Seq)> group, CancellationToken cancellationToken) =>
            // In the log's writer slot: a backup holds it for a moment to take its consistent point
            // (Backup/WriterBarrier), and so must anything else that writes to the log. A failure is
            // told to StorageHealth there (a full disk is logged once and then a line a minute).
            _log.WriteAsync(async () =>
            {
                await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
                _insert.Transaction = transaction;
                var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
                while (next() is { } batch)
                {
                    _at.Value = now;
                    _producer.Value = batch.Producer;
                    _count.Value = batch.Accepted.Events.Count;
                    var bytes = batch.Accepted.CalculateSize();
                    _size.Value = bytes;
                    _rejected.Value = batch.RejectedByFeed;
                    group.Add((batch, 0)); // failed from here on, it is failed with the group
                    var seq = (long)(await _insert.ExecuteScalarAsync(cancellationToken))!;
                    PooledBlob.Write(_connection, "ingest_batch", "events", seq, bytes, batch.Accepted, static (span, events) => events.WriteTo(span));
                    group[^1] = (batch, seq);
                }

                await transaction.CommitAsync(cancellationToken);
            });

        public async ValueTask DisposeAsync()
        {
            await _insert.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
