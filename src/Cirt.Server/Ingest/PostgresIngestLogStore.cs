using System.Buffers;
using Cirt.Grains.Common;
using Cirt.Server.Storage;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;

namespace Cirt.Server.Ingest;

/// <summary>
/// The cluster profile's ingest log: the table ingest_batch in PostgreSQL, appended by every silo.
/// A group of batches is one transaction: its positions taken from ingest_log_head, whose row stays
/// locked until the commit (groups of all silos take positions one after the other, each visible
/// before the next takes any), then the batches in one binary COPY. The commit is synchronous:
/// acknowledged means on PostgreSQL's disk.
/// </summary>
public sealed class PostgresIngestLogStore(PostgresDatabase database, CirtClock clock) : IIngestLogStore
{
    /// <summary>Batches committed by other silos signal nothing here: the aggregator looks this often.</summary>
    public TimeSpan? PollInterval => TimeSpan.FromMilliseconds(200);

    public Task<IIngestLogWriter> OpenWriterAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IIngestLogWriter>(new Writer(database, clock));

    public async Task<List<LoggedBatch>> ReadAsync(long after, long upTo, long events, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // The batches before which fewer than the events wanted are read: the server sends no more
        // than the caller keeps (the embedded store stops reading its cursor there).
        await using var command = new NpgsqlCommand("""
            SELECT b.seq, b.received_at, b.producer, b.events, b.rejected
            FROM ingest_batch b
            JOIN (SELECT seq, sum(event_count) OVER (ORDER BY seq) - event_count AS before
                  FROM (SELECT seq, event_count FROM ingest_batch WHERE seq > @from AND seq <= @to ORDER BY seq LIMIT 5000) w) n USING (seq)
            WHERE n.before < @events
            ORDER BY b.seq;
            """, connection);
        command.Parameters.AddWithValue("from", after);
        command.Parameters.AddWithValue("to", upTo);
        command.Parameters.AddWithValue("events", events);
        var batches = new List<LoggedBatch>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (seq, receivedAt, producer) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
            var length = (int)reader.GetBytes(3, 0, null, 0, 0);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                reader.GetBytes(3, 0, buffer, 0, length);
                batches.Add(new LoggedBatch(seq, receivedAt, producer, buffer, length, reader.GetString(4)));
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                foreach (var read in batches)
                {
                    ArrayPool<byte>.Shared.Return(read.Events);
                }

                throw;
            }
        }

        return batches;
    }

    public async Task<long> EventsAfterAsync(long seq, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT coalesce(sum(event_count), 0)::bigint FROM ingest_batch WHERE seq > @seq;", connection);
        command.Parameters.AddWithValue("seq", seq);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task MaintainAsync(CancellationToken stoppingToken) => Task.CompletedTask; // PostgreSQL checkpoints and vacuums on its own

    /// <summary>The group commit of this silo, each group on a pooled connection (a broken one is not kept).</summary>
    private sealed class Writer(PostgresDatabase database, CirtClock clock) : IIngestLogWriter
    {
        private readonly List<PendingBatch> _taken = [];

        public async Task<long> LatestSeqAsync(CancellationToken cancellationToken)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var head = new NpgsqlCommand("SELECT seq FROM ingest_log_head WHERE id = 1;", connection);
            return (long)(await head.ExecuteScalarAsync(cancellationToken))!;
        }

        public async Task AppendAsync(Func<PendingBatch?> next, List<(PendingBatch Batch, long Seq)> group, CancellationToken cancellationToken)
        {
            _taken.Clear();
            while (next() is { } batch)
            {
                _taken.Add(batch);
                group.Add((batch, 0)); // failed from here on, it is failed with the group
            }

            if (_taken.Count == 0)
            {
                return;
            }

            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            long last;
            await using (var take = new NpgsqlCommand("UPDATE ingest_log_head SET seq = seq + @count WHERE id = 1 RETURNING seq;", connection, transaction))
            {
                take.Parameters.AddWithValue("count", (long)_taken.Count);
                last = (long)(await take.ExecuteScalarAsync(cancellationToken))!;
            }

            var first = last - _taken.Count + 1;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await using (var copy = await connection.BeginBinaryImportAsync(
                             "COPY ingest_batch (seq, received_at, producer, event_count, events, rejected) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                for (var i = 0; i < _taken.Count; i++)
                {
                    var batch = _taken[i];
                    var size = batch.Accepted.CalculateSize();
                    var buffer = ArrayPool<byte>.Shared.Rent(size);
                    try
                    {
                        batch.Accepted.WriteTo(buffer.AsSpan(0, size));
                        await copy.StartRowAsync(cancellationToken);
                        await copy.WriteAsync(first + i, NpgsqlDbType.Bigint, cancellationToken);
                        await copy.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken);
                        await copy.WriteAsync(batch.Producer, NpgsqlDbType.Text, cancellationToken);
                        await copy.WriteAsync(batch.Accepted.Events.Count, NpgsqlDbType.Integer, cancellationToken);
                        await copy.WriteAsync(new ArraySegment<byte>(buffer, 0, size), NpgsqlDbType.Bytea, cancellationToken);
                        await copy.WriteAsync(batch.RejectedByFeed, NpgsqlDbType.Text, cancellationToken);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            for (var i = 0; i < _taken.Count; i++)
            {
                group[i] = (_taken[i], first + i);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
