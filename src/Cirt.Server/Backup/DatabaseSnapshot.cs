using Microsoft.Data.Sqlite;

namespace Cirt.Server.Backup;

/// <summary>
/// One database as it stood at one moment: a read transaction opened on it and held (write-ahead
/// logging lets writers go on beside it), from which SQLite's online backup copies exactly that
/// state, however long the copy takes and whatever is written meanwhile.
/// </summary>
public sealed class DatabaseSnapshot : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    private DatabaseSnapshot(string path, SqliteConnection connection, SqliteTransaction transaction)
    {
        Path = path;
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Fixes the state of the database <paramref name="connection"/> (open, and the caller's to close) is on.</summary>
    public static async Task<DatabaseSnapshot> BeginAsync(string path, SqliteConnection connection, CancellationToken cancellationToken)
    {
        var transaction = connection.BeginTransaction(deferred: true);
        var snapshot = new DatabaseSnapshot(path, connection, transaction);
        // A deferred transaction takes its snapshot at its first read.
        await snapshot.ScalarAsync("SELECT count(*) FROM sqlite_schema;", cancellationToken);
        return snapshot;
    }

    /// <summary>A value read from the snapshot.</summary>
    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Writes the snapshot into the new file <paramref name="destination"/> (mode 0600) with SQLite's online backup.</summary>
    public void CopyTo(string destination)
    {
        Storage.DataFolder.EnsureDatabaseFile(destination);
        // Not pooled: the copy is complete, its journal gone, once the connection closes.
        using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString());
        target.Open();
        _connection.BackupDatabase(target);
    }

    /// <summary>Ends the read transaction; the connection stays with whoever opened it.</summary>
    public ValueTask DisposeAsync() => _transaction.DisposeAsync();
}
