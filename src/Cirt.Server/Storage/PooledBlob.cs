using System.Buffers;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Storage;

/// <summary>
/// Blob columns written and read through pooled buffers: the ingest path's blobs (batches of events,
/// runs of event keys) are often larger than the large-object threshold, and a fresh array for each
/// would pile up on the large object heap between full collections.
/// </summary>
public static class PooledBlob
{
    /// <summary>
    /// Fills the blob reserved with <c>zeroblob(size)</c> in column <paramref name="column"/> of row
    /// <paramref name="rowid"/> with what <paramref name="fill"/> writes into <paramref name="size"/> bytes.
    /// </summary>
    public static void Write<TState>(
        SqliteConnection connection, string table, string column, long rowid, int size, TState state, SpanAction<byte, TState> fill)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            fill(buffer.AsSpan(0, size), state);
            using var blob = new SqliteBlob(connection, table, column, rowid);
            blob.Write(buffer, 0, size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Fills the blob reserved with <c>zeroblob(size)</c> piece after piece, each through a pooled
    /// buffer of the piece's size (<paramref name="sizeOf"/>, written by <paramref name="fill"/>):
    /// for a blob larger than one buffer should be.
    /// </summary>
    public static void WritePieces<TPiece>(
        SqliteConnection connection, string table, string column, long rowid, IEnumerable<TPiece> pieces, Func<TPiece, int> sizeOf,
        SpanAction<byte, TPiece> fill)
    {
        using var blob = new SqliteBlob(connection, table, column, rowid);
        foreach (var piece in pieces)
        {
            var size = sizeOf(piece);
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                fill(buffer.AsSpan(0, size), piece);
                blob.Write(buffer, 0, size);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Reads the blob in column <paramref name="ordinal"/> of the reader's current row into a buffer
    /// rented from <see cref="ArrayPool{T}.Shared"/>: its first Length bytes. The caller returns it.
    /// </summary>
    public static async Task<(byte[] Buffer, int Length)> RentAndReadAsync(SqliteDataReader reader, int ordinal, CancellationToken cancellationToken)
    {
        await using var blob = reader.GetStream(ordinal);
        var length = (int)blob.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await blob.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
