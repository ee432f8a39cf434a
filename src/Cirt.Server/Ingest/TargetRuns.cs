using System.Buffers;
using System.Buffers.Binary;
using Cirt.Grains.Ingest;
using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Ingest;

/// <summary>
/// The duplicate window on disk (ingest_target_run): each pass's changes to the window as a run, a
/// blob of <see cref="TargetSighting"/>s (key, then UTC ticks, 8 bytes each, little-endian), written
/// in one sequential piece in the pass's transaction. Replayed in order at start, they make the
/// window again. A pass that writes the whole window (<see cref="PassRecord.SightingsReplaceRuns"/>)
/// deletes every earlier run.
/// </summary>
public static class TargetRuns
{
    private const int SightingSize = 16;

    // At most this many sightings a row (16 MiB): a whole window of millions of targets is written
    // as several rows, each read back at start through a pooled buffer of a reasonable size.
    private const int SightingsPerRow = 16 * TargetSightings.ChunkSize;

    /// <summary>Restores the window from its runs, in the order they were written; returns how many sightings they hold.</summary>
    public static async Task<long> LoadAsync(SqliteConnection connection, DuplicateWindow window, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT targets FROM ingest_target_run ORDER BY id;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long sightings = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var (buffer, length) = await PooledBlob.RentAndReadAsync(reader, 0, cancellationToken);
            try
            {
                for (var at = 0; at + SightingSize <= length; at += SightingSize)
                {
                    window.Restore(new TargetSighting(
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

        return sightings;
    }

    /// <summary>Records a pass's sightings; when they are the whole window (<paramref name="replace"/>), instead of every run before.</summary>
    public static async Task WriteAsync(
        SqliteConnection connection, SqliteTransaction transaction, long upTo, TargetSightings sightings, bool replace,
        CancellationToken cancellationToken)
    {
        if (replace)
        {
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM ingest_target_run;";
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO ingest_target_run (up_to_seq, targets) VALUES ($upTo, zeroblob($size)) RETURNING id;";
        insert.Parameters.AddWithValue("$upTo", upTo);
        var size = insert.Parameters.Add("$size", SqliteType.Integer);
        for (var start = 0; start < sightings.Count; start += SightingsPerRow)
        {
            var count = Math.Min(SightingsPerRow, sightings.Count - start);
            size.Value = count * SightingSize;
            var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
            // Chunk by chunk (1 MiB each): no buffer the size of the run.
            PooledBlob.WritePieces(connection, "ingest_target_run", "targets", id, sightings.Range(start, count), chunk => chunk.Length * SightingSize, static (span, chunk) =>
            {
                var at = 0;
                foreach (var (key, seen) in chunk.Span)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(span[at..], key);
                    BinaryPrimitives.WriteInt64LittleEndian(span[(at + sizeof(ulong))..], seen);
                    at += SightingSize;
                }
            });
        }
    }
}
