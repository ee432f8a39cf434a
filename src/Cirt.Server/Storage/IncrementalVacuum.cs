using Microsoft.Data.Sqlite;

namespace Cirt.Server.Storage;

/// <summary>
/// Gives the pages of deleted rows back to the file system. A SQLite file never shrinks by itself:
/// deleted rows leave free pages inside it, which later inserts reuse. In incremental auto-vacuum
/// mode the file also keeps the map of which page belongs where, so that free pages can be moved to
/// its end and cut off, a few at a time, while others write (<see cref="ReclaimAsync"/>).
/// </summary>
public static class IncrementalVacuum
{
    private const long Incremental = 2;

    /// <summary>
    /// Turns incremental auto-vacuum on in <paramref name="database"/>'s file. A new file takes it at
    /// once; a file made before (by a server without retention) is rewritten whole by VACUUM, once,
    /// at start: that takes about as long as copying the file and needs as much free space again.
    /// Returns whether the file was rewritten.
    /// </summary>
    public static bool Enable(SqliteDatabase database)
    {
        if (database.IsInMemory)
        {
            return false;
        }

        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        if (Pragma(connection, "auto_vacuum") == Incremental)
        {
            return false;
        }

        using var set = connection.CreateCommand();
        set.CommandText = "PRAGMA auto_vacuum = INCREMENTAL;";
        set.ExecuteNonQuery();
        set.CommandText = "VACUUM;";
        set.ExecuteNonQuery();
        return true;
    }

    /// <summary>
    /// Cuts free pages off the end of the file, <paramref name="step"/> pages per transaction (each
    /// one short, so that the file's writer never waits long), until at most a quarter of the file is
    /// free: that quarter is left for the inserts to come, which reuse it instead of growing the file
    /// again. The file shrinks on disk at the next checkpoint. Returns how many pages were given back.
    /// </summary>
    public static async Task<long> ReclaimAsync(SqliteConnection connection, int step, CancellationToken cancellationToken)
    {
        long reclaimed = 0;
        while (true)
        {
            var free = Pragma(connection, "freelist_count");
            var pages = Pragma(connection, "page_count");
            var excess = free - (pages / 4);
            if (excess <= 0)
            {
                return reclaimed;
            }

            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = $"PRAGMA incremental_vacuum({Math.Min(excess, step)});";
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
            var after = Pragma(connection, "freelist_count");
            if (after >= free)
            {
                return reclaimed; // not in incremental mode (a database in memory): nothing to give back
            }

            reclaimed += free - after;
        }
    }

    /// <summary>The file's size in bytes as SQLite counts it (pages times page size), free pages included.</summary>
    public static long SizeOf(SqliteConnection connection) => Pragma(connection, "page_count") * Pragma(connection, "page_size");

    private static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)command.ExecuteScalar()!;
    }
}
