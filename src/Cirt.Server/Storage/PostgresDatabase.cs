using Npgsql;

namespace Cirt.Server.Storage;

/// <summary>
/// The cluster profile's PostgreSQL database (ConnectionStrings:Postgres): one pooled data source
/// shared by every store of this silo, and the schema in deploy/sql/postgresql applied at start.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    /// <summary>The advisory lock every silo takes to apply the schema, so that silos starting together apply it once.</summary>
    private const long SchemaLockKey = 0x43_69_72_74_00_00_00_01; // "Cirt" 1

    private PostgresDatabase(NpgsqlDataSource dataSource) => DataSource = dataSource;

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The database ConnectionStrings:Postgres names, reached and schema applied; refuses to start, saying why, when it cannot be.</summary>
    public static PostgresDatabase Open(string connectionString, string scriptDirectory)
    {
        NpgsqlDataSource dataSource;
        try
        {
            dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = "cirt" }.Build();
        }
        catch (ArgumentException ex)
        {
            throw new StartupRefusedException([$"ConnectionStrings:Postgres is not a valid PostgreSQL connection string: {ex.Message}"]);
        }

        var database = new PostgresDatabase(dataSource);
        try
        {
            database.Migrate(scriptDirectory);
        }
        catch (NpgsqlException ex)
        {
            dataSource.Dispose();
            var target = new NpgsqlConnectionStringBuilder(connectionString);
            throw new StartupRefusedException([
                $"PostgreSQL at {target.Host}:{target.Port} (database {target.Database ?? target.Username}, ConnectionStrings:Postgres) could not be reached or set up: {ex.Message}"]);
        }

        return database;
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) => DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Applies, in name order, each script of <paramref name="scriptDirectory"/> not applied before,
    /// each in a transaction with its record in cirt_schema; under an advisory lock, so silos starting
    /// at the same moment wait for each other. Applying twice changes nothing.
    /// </summary>
    public void Migrate(string scriptDirectory)
    {
        var scripts = Directory.GetFiles(scriptDirectory, "*.sql", SearchOption.AllDirectories)
            .Select(path => (Name: Path.GetRelativePath(scriptDirectory, path).Replace('\\', '/'), Path: path))
            .OrderBy(script => script.Name, StringComparer.Ordinal)
            .ToArray();
        if (scripts.Length == 0)
        {
            throw new InvalidOperationException($"No schema scripts found in '{scriptDirectory}'.");
        }

        using var connection = DataSource.OpenConnection();
        Execute(connection, null, $"SELECT pg_advisory_lock({SchemaLockKey});");
        try
        {
            Execute(connection, null, "CREATE TABLE IF NOT EXISTS cirt_schema (script text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());");
            var applied = new HashSet<string>(StringComparer.Ordinal);
            using (var read = new NpgsqlCommand("SELECT script FROM cirt_schema;", connection))
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read())
                {
                    applied.Add(reader.GetString(0));
                }
            }

            foreach (var (name, path) in scripts.Where(script => !applied.Contains(script.Name)))
            {
                using var transaction = connection.BeginTransaction();
                Execute(connection, transaction, File.ReadAllText(path));
                using (var record = new NpgsqlCommand("INSERT INTO cirt_schema (script) VALUES (@script);", connection, transaction))
                {
                    record.Parameters.AddWithValue("script", name);
                    record.ExecuteNonQuery();
                }

                transaction.Commit();
            }
        }
        finally
        {
            Execute(connection, null, $"SELECT pg_advisory_unlock({SchemaLockKey});");
        }
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    public void Dispose() => DataSource.Dispose();
}
