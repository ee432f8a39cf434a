using System.Buffers;
using System.Buffers.Binary;
using Cirt.Grains.Ingest;
using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Ingest;

/// <summary>
/// The resend window on disk (ingest_key_run): each pass's new event keys as one run, a blob of
/// 64-bit little-endian keys written in one sequential piece (a table row per key dirtied a random
/// page per key), tagged with the window's generation; the runs of a generation the window forgets
/// are deleted.
/// </summary>
public static class ResendRuns
{
    /// <summary>Loads the window from its runs, oldest first: the keys of the last passes, as many as it remembers.</summary>
    public static async Task LoadAsync(SqliteConnection connection, ResendWindow window, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT generation, keys FROM ingest_key_run ORDER BY id;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (buffer, length) = await PooledBlob.RentAndReadAsync(reader, 1, cancellationToken);
            try
            {
                window.Add(new ResendWindow.Placement(reader.GetInt64(0), null), KeysIn(buffer, length / sizeof(long)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Records a pass's new keys as one run, written at <paramref name="writtenAt"/> (Unix time,
    /// milliseconds: the pruner deletes runs older than Cirt:Retention:ResendKeys), and deletes the
    /// runs of the generations the window forgets.
    /// </summary>
    public static async Task WriteAsync(
        SqliteConnection connection, SqliteTransaction transaction, long upTo, ResendWindow.Placement placement, HashSet<long> keys,
        long writtenAt, CancellationToken cancellationToken)
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
            INSERT INTO ingest_key_run (up_to_seq, generation, keys, written_at) VALUES ($upTo, $generation, zeroblob($size), $writtenAt)
            RETURNING id;
            """;
        insert.Parameters.AddWithValue("$upTo", upTo);
        insert.Parameters.AddWithValue("$generation", placement.Generation);
        insert.Parameters.AddWithValue("$size", size);
        insert.Parameters.AddWithValue("$writtenAt", writtenAt);
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

    private static IEnumerable<long> KeysIn(byte[] buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(i * sizeof(long), sizeof(long)));
        }
    }
}
