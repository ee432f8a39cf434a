using System.Buffers.Binary;
using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Ingest;

/// <summary>
/// The ingest state's schema scripts on real SQLite files: the former key table (one row per stored
/// event) is converted into resend runs by a migration, whatever state a data folder is in.
/// </summary>
public sealed class IngestStateMigrationTests : IDisposable
{
    private static readonly string Scripts = Path.Combine(AppContext.BaseDirectory, "sql", "sqlite", "ingest-state");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cirt-ingest-state-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void ANewInstallHasNoKeyTableAndEmptyRuns()
    {
        var database = Migrated(Scripts);

        Assert.Equal(0L, Scalar(database, "SELECT count(*) FROM sqlite_master WHERE name = 'ingest_event_key';"));
        Assert.Equal(0L, Scalar(database, "SELECT count(*) FROM ingest_key_run;"));
        Assert.Equal(0L, Scalar(database, "SELECT count(*) FROM ingest_target_run;"));
    }

    [Fact]
    public void KeysOfAFolderFromBeforeResendRunsBecomeRunsOfGenerationZeroExactlyAndTheTableGoes()
    {
        // A data folder as servers before resend runs left it: only the first script, a row per key.
        var database = Migrated(ScriptsUpTo("001"));
        var keys = new HashSet<long> { long.MinValue, long.MaxValue, -1, 0, 1, 0x0102030405060708 };
        var random = new Random(7);
        while (keys.Count < 250_003)
        {
            keys.Add(random.NextInt64(long.MinValue, long.MaxValue));
        }

        Execute(database, "UPDATE ingest_progress SET aggregated_seq = 4242 WHERE id = 1;");
        using (var connection = (SqliteConnection)database.DataSource.OpenConnection())
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO ingest_event_key (key) VALUES ($key);";
            var key = insert.Parameters.Add("$key", SqliteType.Integer);
            foreach (var k in keys)
            {
                key.Value = k;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        database.Migrate(Scripts);

        Assert.Equal(0L, Scalar(database, "SELECT count(*) FROM sqlite_master WHERE name = 'ingest_event_key';"));
        var runs = Runs(database);
        Assert.Equal(3, runs.Count); // 100,000 keys a run
        Assert.All(runs, r => Assert.Equal((4242L, 0L), (r.UpTo, r.Generation)));
        Assert.Equal(keys.Order(), runs.SelectMany(r => r.Keys).Order());
    }

    [Fact]
    public void AFolderAlreadyConvertedAtStartKeepsItsRuns()
    {
        // Servers since 002 moved the keys into runs at start and dropped the table themselves.
        var database = Migrated(ScriptsUpTo("002"));
        Execute(database, """
            DROP TABLE ingest_event_key;
            INSERT INTO ingest_key_run (up_to_seq, generation, keys) VALUES (7, 3, x'0100000000000000FFFFFFFFFFFFFFFF');
            """);

        database.Migrate(Scripts);

        Assert.Equal(0L, Scalar(database, "SELECT count(*) FROM sqlite_master WHERE name = 'ingest_event_key';"));
        var run = Assert.Single(Runs(database));
        Assert.Equal((7L, 3L), (run.UpTo, run.Generation));
        Assert.Equal([1L, -1L], run.Keys);
    }

    private SqliteDatabase Migrated(string scripts)
    {
        var database = new SqliteDatabase(Path.Combine(_directory, "ingest-state.db"));
        database.Migrate(scripts);
        return database;
    }

    /// <summary>A folder with the scripts up to and including the one named <paramref name="last"/>.</summary>
    private string ScriptsUpTo(string last)
    {
        var directory = Path.Combine(_directory, "scripts-" + last);
        Directory.CreateDirectory(directory);
        foreach (var script in Directory.GetFiles(Scripts, "*.sql").Where(s => string.CompareOrdinal(Path.GetFileName(s), last + "~") < 0))
        {
            File.Copy(script, Path.Combine(directory, Path.GetFileName(script)));
        }

        return directory;
    }

    private static List<(long UpTo, long Generation, long[] Keys)> Runs(SqliteDatabase database)
    {
        using var connection = (SqliteConnection)database.DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT up_to_seq, generation, keys FROM ingest_key_run ORDER BY id;";
        using var reader = command.ExecuteReader();
        var runs = new List<(long, long, long[])>();
        while (reader.Read())
        {
            var blob = (byte[])reader[2];
            runs.Add((reader.GetInt64(0), reader.GetInt64(1),
                Enumerable.Range(0, blob.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(blob.AsSpan(i * 8, 8))).ToArray()));
        }

        return runs;
    }

    private static object? Scalar(SqliteDatabase database, string sql)
    {
        using var connection = (SqliteConnection)database.DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteDatabase database, string sql)
    {
        using var connection = (SqliteConnection)database.DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
