using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Storage;

/// <summary>
/// One SQLite database of the server: the embedded profile's file (grain state through Orleans'
/// ADO.NET provider, the read model, reminders, the stakeholder directory) and the ingest files.
/// Every connection to it comes from here (<see cref="OpenAsync"/>, or <see cref="DataSource"/>
/// for Orleans), and each is set to fsync every commit whatever SQLite was built with. Applies the
/// schema under sql/sqlite/ (deploy/sql/sqlite in the repository) in order, each script once.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _connectionString;

    /// <summary>For a database in memory: the connection that keeps it alive until disposed.</summary>
    private readonly SqliteConnection? _keepAlive;

    /// <summary>The invariant under which Orleans' ADO.NET providers serve SQLite through Microsoft.Data.Sqlite.</summary>
    public const string OrleansInvariant = "System.Data.SQLite";

    /// <summary>The database in the file at <paramref name="path"/> (created if need be by <see cref="Migrate"/>).</summary>
    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        DataSource = new ConnectionSource(this);
    }

    private SqliteDatabase(string name, SqliteConnection keepAlive, string connectionString)
    {
        Path = name;
        _keepAlive = keepAlive;
        _connectionString = connectionString;
        DataSource = new ConnectionSource(this);
    }

    /// <summary>
    /// A database that lives in this process's memory only, shared by every connection to it, and
    /// is gone once disposed: nothing is written to disk, nothing is left behind, even after a crash.
    /// </summary>
    public static SqliteDatabase InMemory(string name)
    {
        var unique = name + "-" + Guid.NewGuid().ToString("N");
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = unique,
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
            // A pooled connection would keep the database alive after it is disposed.
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        var keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();
        return new SqliteDatabase(unique, keepAlive, connectionString);
    }

    /// <summary>The database file, or for a database in memory its name (unique in the process).</summary>
    public string Path { get; }

    /// <summary>Whether the database lives in memory only (see <see cref="InMemory"/>).</summary>
    public bool IsInMemory => _keepAlive is not null;

    /// <summary>Connections to this database for Orleans' ADO.NET providers: the same as <see cref="OpenAsync"/> gives.</summary>
    public DbDataSource DataSource { get; }

    /// <summary>
    /// Raised with each connection to this database just before it closes, still open: lets a test
    /// read the settings a writer left on the connection it used. Nobody listens in production.
    /// </summary>
    public event Action<SqliteConnection>? ConnectionClosing;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new Connection(this);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public void Dispose() => _keepAlive?.Dispose();

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
        catch (Exception failure)
        {
            Refused(failure);
            throw;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Raised when a write to this database failed, with the failure (whatever it was; listeners
    /// pick what concerns them, e.g. a full disk: <see cref="StorageHealth"/>).
    /// </summary>
    public event Action<SqliteDatabase, Exception>? WriteRefused;

    /// <summary>Says that a write made outside <see cref="WriteAsync{T}(Func{Task{T}})"/> (the ingest log's group commit) failed.</summary>
    public void Refused(Exception failure) => WriteRefused?.Invoke(this, failure);

    /// <inheritdoc cref="WriteAsync{T}(Func{Task{T}})"/>
    public Task WriteAsync(Func<Task> write) => WriteAsync(async () =>
    {
        await write();
        return true;
    });

    /// <summary>Creates the file if needed (mode 0600, in a folder of mode 0700: <see cref="DataFolder"/>), turns on write-ahead logging and applies pending schema scripts.</summary>
    public void Migrate(string scriptDirectory)
    {
        if (!IsInMemory)
        {
            DataFolder.EnsureDatabaseFile(Path);
        }

        using var connection = new Connection(this);
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

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A connection to this database: fsyncs every commit, and says when it closes.</summary>
    private sealed class Connection(SqliteDatabase database) : SqliteConnection(database._connectionString)
    {
        public override void Open()
        {
            base.Open();
            // FULL: every commit, the write-ahead log's included, is on disk before it returns, so
            // an acknowledged write survives a power cut. Set here rather than left to how SQLite
            // was built, and again at every open: a pooled connection keeps what its last user set.
            Execute(this, "PRAGMA synchronous = FULL;");
        }

        public override void Close()
        {
            if (State == ConnectionState.Open)
            {
                database.ConnectionClosing?.Invoke(this);
            }

            base.Close();
        }
    }

    /// <summary>Hands Orleans the same connections as everyone else.</summary>
    private sealed class ConnectionSource(SqliteDatabase database) : DbDataSource
    {
        public override string ConnectionString => database._connectionString;

        protected override DbConnection CreateDbConnection() => new Connection(database);
    }
}
