using Microsoft.Data.Sqlite;

namespace Cirt.Server.Storage;

/// <summary>
/// The embedded profile's single SQLite file: grain state (through Orleans' ADO.NET provider) and
/// the read model. Applies the schema under sql/sqlite/ (deploy/sql/sqlite in the repository) in
/// order, each script once.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>The invariant under which Orleans' ADO.NET providers serve SQLite through Microsoft.Data.Sqlite.</summary>
    public const string OrleansInvariant = "System.Data.SQLite";

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Runs a write holding the file's one writer slot. SQLite lets one connection write at a time,
    /// and Microsoft.Data.Sqlite answers a busy file by sleeping and retrying: every writer of this
    /// process (grain state, read model, reminders) queues here instead, in order and without
    /// blocking a thread, so a burst of writes never sleeps in turn.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        await _writer.WaitAsync();
        try
        {
            return await write();
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <inheritdoc cref="WriteAsync{T}(Func{Task{T}})"/>
    public Task WriteAsync(Func<Task> write) => WriteAsync(async () =>
    {
        await write();
        return true;
    });

    /// <summary>Creates the file if needed, turns on write-ahead logging and applies pending schema scripts.</summary>
    public void Migrate(string scriptDirectory)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS cirt_schema (script TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);");

        var scripts = Directory.GetFiles(scriptDirectory, "*.sql").Order(StringComparer.Ordinal).ToArray();
        if (scripts.Length == 0)
        {
            throw new InvalidOperationException($"No schema scripts found in '{scriptDirectory}'.");
        }

        foreach (var script in scripts)
        {
            var name = System.IO.Path.GetFileName(script);
            using var check = connection.CreateCommand();
            check.CommandText = "SELECT count(*) FROM cirt_schema WHERE script = $script;";
            check.Parameters.AddWithValue("$script", name);
            if ((long)check.ExecuteScalar()! > 0)
            {
                continue;
            }

            using var transaction = connection.BeginTransaction();
            using (var apply = connection.CreateCommand())
            {
                apply.Transaction = transaction;
                apply.CommandText = File.ReadAllText(script);
                apply.ExecuteNonQuery();
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO cirt_schema (script, applied_at) VALUES ($script, $at);";
                record.Parameters.AddWithValue("$script", name);
                record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
                record.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>The synchronous setting in force: 2 (FULL) means every commit is fsynced.</summary>
    public long Synchronous()
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous;";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
