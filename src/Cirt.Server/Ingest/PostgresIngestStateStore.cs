using System.Buffers;
using System.Buffers.Binary;
using System.Data;
using Cirt.Grains.Common;
using Cirt.Grains.Ingest;
using Cirt.Server.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Cirt.Server.Ingest;

/// <summary>
/// The cluster profile's ingest state, in PostgreSQL beside the log: the same tables, runs and
/// encodings as ingest-state.db (<see cref="SqliteIngestStateStore"/>). Any silo reads it (the stats
/// and unmatched-events RPCs); only the holder of the aggregation lease writes it, and each of its
/// write transactions first checks the lease's epoch (<see cref="PostgresAggregationLease.FenceAsync"/>):
/// a silo that lost the lease records nothing, its transaction rolled back whole.
/// </summary>
public sealed class PostgresIngestStateStore(PostgresDatabase database, PostgresAggregationLease lease, CirtClock clock) : IIngestStateStore
{
    private const int SightingSize = 16;

    // At most this many sightings a row (16 MiB), as the embedded store writes them.
    private const int SightingsPerRow = 16 * TargetSightings.ChunkSize;

    public async Task<IngestProgress> LoadAsync(ResendWindow resends, DuplicateWindow duplicates, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        long aggregated, pending;
        await using (var progress = new NpgsqlCommand("SELECT aggregated_seq, pending_seq FROM ingest_progress WHERE id = 1;", connection, snapshot))
        await using (var reader = await progress.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (aggregated, pending) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        await using (var keys = new NpgsqlCommand("SELECT generation, keys FROM ingest_key_run ORDER BY id;", connection, snapshot))
        await using (var reader = await keys.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var (buffer, length) = RentAndRead(reader, 1);
                try
                {
                    resends.Add(new ResendWindow.Placement(reader.GetInt64(0), null), KeysIn(buffer, length / sizeof(long)));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        long sightings = 0;
        await using (var targets = new NpgsqlCommand("SELECT targets FROM ingest_target_run ORDER BY id;", connection, snapshot))
        await using (var reader = await targets.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var (buffer, length) = RentAndRead(reader, 0);
                try
                {
                    for (var at = 0; at + SightingSize <= length; at += SightingSize)
                    {
                        duplicates.Restore(new TargetSighting(
                            BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(at, sizeof(ulong))),
                            BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(at + sizeof(ulong), sizeof(long)))));
                        sightings++;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        await snapshot.CommitAsync(cancellationToken);
        return new IngestProgress(aggregated, pending, sightings);
    }

    public async Task MarkPendingAsync(long upTo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await lease.FenceAsync(connection, transaction, cancellationToken);
        await using (var pending = new NpgsqlCommand("UPDATE ingest_progress SET pending_seq = @seq WHERE id = 1;", connection, transaction))
        {
            pending.Parameters.AddWithValue("seq", upTo);
            await pending.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RecordAsync(PassRecord pass, Task incidentsWritten, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WriteKeyRunAsync(connection, transaction, pass, cancellationToken);
        await WriteTargetRunsAsync(connection, transaction, pass, cancellationToken);
        if (pass.Unmatched.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY ingest_unmatched (received_at, producer, feed, event) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var unmatched in pass.Unmatched)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(unmatched.ReceivedAt, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(unmatched.Producer, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(unmatched.Feed, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(unmatched.Event, NpgsqlDbType.Bytea, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO ingest_feed_stats AS s (feed, stored, duplicates, unmatched, resent, rejected, last_event_at)
            VALUES (@feed, @stored, @duplicates, @unmatched, @resent, @rejected, @last)
            ON CONFLICT (feed) DO UPDATE SET
                stored = s.stored + excluded.stored, duplicates = s.duplicates + excluded.duplicates,
                unmatched = s.unmatched + excluded.unmatched, resent = s.resent + excluded.resent,
                rejected = s.rejected + excluded.rejected, last_event_at = greatest(s.last_event_at, excluded.last_event_at);
            """, connection, transaction))
        {
            foreach (var (feed, t) in pass.Totals)
            {
                upsert.Parameters.Clear();
                upsert.Parameters.AddWithValue("feed", feed);
                upsert.Parameters.AddWithValue("stored", t.Stored);
                upsert.Parameters.AddWithValue("duplicates", t.Duplicates);
                upsert.Parameters.AddWithValue("unmatched", t.Unmatched);
                upsert.Parameters.AddWithValue("resent", t.Resent);
                upsert.Parameters.AddWithValue("rejected", t.Rejected);
                upsert.Parameters.AddWithValue("last", t.LastEventAt);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await incidentsWritten;
        // Last, once every incident is written: the lease's row is held from here to the commit, so
        // a silo taking over either finds this pass recorded or this transaction refused.
        await lease.FenceAsync(connection, transaction, cancellationToken);
        await using (var progress = new NpgsqlCommand("UPDATE ingest_progress SET aggregated_seq = @seq, pending_seq = 0 WHERE id = 1;", connection, transaction))
        {
            progress.Parameters.AddWithValue("seq", pass.UpTo);
            await progress.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long> AppliedSeqAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT aggregated_seq FROM ingest_progress WHERE id = 1;", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IngestTotals> TotalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One statement, one snapshot: the totals and the position they count up to.
        await using var command = new NpgsqlCommand("""
            SELECT feed, stored, duplicates, unmatched, resent, rejected, last_event_at, p.aggregated_seq
            FROM ingest_progress p LEFT JOIN ingest_feed_stats ON true
            WHERE p.id = 1
            ORDER BY feed COLLATE "C";
            """, connection);
        var feeds = new List<(string, FeedTotals)>();
        long aggregated = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            aggregated = reader.GetInt64(7);
            if (reader.IsDBNull(0))
            {
                continue; // no feed counted yet
            }

            feeds.Add((reader.GetString(0), new FeedTotals
            {
                Stored = reader.GetInt64(1),
                Duplicates = reader.GetInt64(2),
                Unmatched = reader.GetInt64(3),
                Resent = reader.GetInt64(4),
                Rejected = reader.GetInt64(5),
                LastEventAt = reader.GetInt64(6),
            }));
        }

        return new IngestTotals(feeds, aggregated);
    }

    public async Task<UnmatchedPage> UnmatchedAsync(string feed, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var where = feed.Length > 0 ? "WHERE feed = @feed" : "";
        long total;
        await using (var count = new NpgsqlCommand($"SELECT count(*) FROM ingest_unmatched {where};", connection, snapshot))
        {
            count.Parameters.AddWithValue("feed", feed);
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        var events = new List<UnmatchedEvent>();
        await using (var page = new NpgsqlCommand(
                         $"SELECT received_at, producer, feed, event FROM ingest_unmatched {where} ORDER BY id DESC LIMIT @limit OFFSET @offset;", connection, snapshot))
        {
            page.Parameters.AddWithValue("feed", feed);
            page.Parameters.AddWithValue("limit", limit);
            page.Parameters.AddWithValue("offset", offset);
            await using var reader = await page.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new UnmatchedEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3)));
            }
        }

        await snapshot.CommitAsync(cancellationToken);
        return new UnmatchedPage(total, events);
    }

    /// <summary>The pass's new keys as one run (and the runs of the generations the window forgets deleted), as <see cref="ResendRuns"/> writes them.</summary>
    private async Task WriteKeyRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PassRecord pass, CancellationToken cancellationToken)
    {
        if (pass.Placement.Forgotten is { } forgotten)
        {
            await using var delete = new NpgsqlCommand("DELETE FROM ingest_key_run WHERE generation <= @forgotten;", connection, transaction);
            delete.Parameters.AddWithValue("forgotten", forgotten);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        if (pass.Fresh.Count == 0)
        {
            return;
        }

        var size = pass.Fresh.Count * sizeof(long);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var at = 0;
            foreach (var key in pass.Fresh)
            {
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(at), key);
                at += sizeof(long);
            }

            await using var insert = new NpgsqlCommand(
                "INSERT INTO ingest_key_run (up_to_seq, generation, keys, written_at) VALUES (@upTo, @generation, @keys, @writtenAt);", connection, transaction);
            insert.Parameters.AddWithValue("upTo", pass.UpTo);
            insert.Parameters.AddWithValue("generation", pass.Placement.Generation);
            insert.Parameters.Add(new NpgsqlParameter<ArraySegment<byte>>("keys", NpgsqlDbType.Bytea) { TypedValue = new ArraySegment<byte>(buffer, 0, size) });
            insert.Parameters.AddWithValue("writtenAt", clock.GetUtcNow().ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The pass's changes to the duplicate window as runs (the whole window replacing every earlier run when the pass says so), as <see cref="TargetRuns"/> writes them.</summary>
    private static async Task WriteTargetRunsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PassRecord pass, CancellationToken cancellationToken)
    {
        if (pass.SightingsReplaceRuns)
        {
            await using var delete = new NpgsqlCommand("DELETE FROM ingest_target_run;", connection, transaction);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        var sightings = pass.Sightings;
        await using var insert = new NpgsqlCommand("INSERT INTO ingest_target_run (up_to_seq, targets) VALUES (@upTo, @targets);", connection, transaction);
        insert.Parameters.AddWithValue("upTo", pass.UpTo);
        var targets = new NpgsqlParameter<ArraySegment<byte>>("targets", NpgsqlDbType.Bytea);
        insert.Parameters.Add(targets);
        for (var start = 0; start < sightings.Count; start += SightingsPerRow)
        {
            var count = Math.Min(SightingsPerRow, sightings.Count - start);
            var size = count * SightingSize;
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                var at = 0;
                foreach (var chunk in sightings.Range(start, count))
                {
                    foreach (var (key, seen) in chunk.Span)
                    {
                        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(at), key);
                        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(at + sizeof(ulong)), seen);
                        at += SightingSize;
                    }
                }

                targets.TypedValue = new ArraySegment<byte>(buffer, 0, size);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static (byte[] Buffer, int Length) RentAndRead(NpgsqlDataReader reader, int ordinal)
    {
        var length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        reader.GetBytes(ordinal, 0, buffer, 0, length);
        return (buffer, length);
    }

    private static IEnumerable<long> KeysIn(byte[] buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(i * sizeof(long), sizeof(long)));
        }
    }
}
