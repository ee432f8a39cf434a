using Microsoft.Data.Sqlite;

namespace Cirt.Server.Storage;

/// <summary>
/// Whether a failure means the disk under the data folder is full: SQLite's SQLITE_FULL, or an
/// ENOSPC from the file system, anywhere in the chain of causes. A failure that crossed a grain
/// call may arrive as another exception carrying SQLite's text, so that text counts too (but not
/// on a SqliteException, whose code says what it is).
/// </summary>
public static class StorageFull
{
    /// <summary>SQLite's primary result code for "database or disk is full".</summary>
    public const int SqliteFull = 13;

    /// <summary>The text SQLite gives SQLITE_FULL, whatever the exception that carries it.</summary>
    public const string SqliteFullText = "database or disk is full";

    /// <summary>ENOSPC on Linux; .NET on Unix gives an IOException this HResult.</summary>
    private const int NoSpaceErrno = 28;

    /// <summary>ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows, as HResults.</summary>
    private static readonly int[] WindowsDiskFull = [unchecked((int)0x80070070), unchecked((int)0x80070027)];

    /// <summary>True when <paramref name="failure"/> or one of its causes says the disk is full.</summary>
    public static bool Is(Exception? failure)
    {
        for (var depth = 0; failure is not null && depth < 16; depth++)
        {
            switch (failure)
            {
                case SqliteException sqlite:
                    // SQLite's own code decides; its text alone may come from elsewhere (a trigger's RAISE).
                    if (sqlite.SqliteErrorCode == SqliteFull)
                    {
                        return true;
                    }

                    failure = failure.InnerException;
                    continue;
                case IOException io when io.HResult == NoSpaceErrno || WindowsDiskFull.Contains(io.HResult):
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Is):
                    return true;
            }

            if (failure.Message.Contains(SqliteFullText, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            failure = failure.InnerException;
        }

        return false;
    }
}
