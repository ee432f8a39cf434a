using Cirt.Server.Ingest;
using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Storage;

/// <summary>The ingest files give the space of deleted rows back to the file system, not only to later inserts.</summary>
public sealed class IncrementalVacuumTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cirt-vacuum-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AfterMostOfTheLogIsDeletedTheFileShrinksToWhatIsLeftAndAQuarterFree()
    {
        using var ingest = IngestDatabase.Create(_directory);
        var path = Path.Combine(_directory, "ingest.db");
        await using var connection = await ingest.Log.OpenAsync();
        await ExecuteAsync(connection, """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
            INSERT INTO ingest_batch (received_at, producer, event_count, events, rejected)
            SELECT i, 'sensor', 100, randomblob(10000), '' FROM n;
            PRAGMA wal_checkpoint(TRUNCATE);
            """);
        var full = new FileInfo(path).Length;
        Assert.True(full > 20_000_000, $"the file holds {full} bytes");

        await ExecuteAsync(connection, "DELETE FROM ingest_batch WHERE seq <= 1800;");
        var reclaimed = await IncrementalVacuum.ReclaimAsync(connection, 256, CancellationToken.None);
        await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE);");

        var after = new FileInfo(path).Length;
        Assert.True(reclaimed > 0);
        // 200 of 2,000 rows are left: a tenth of the data, and at most a quarter of the file free.
        Assert.InRange(after, full / 10, full * 2 / 10);
        Assert.Equal(200L, await ScalarAsync(connection, "SELECT count(*) FROM ingest_batch;"));
        Assert.True(await ScalarAsync(connection, "PRAGMA freelist_count;") * 4 <= await ScalarAsync(connection, "PRAGMA page_count;"));
    }

    [Fact]
    public async Task BothIngestFilesAreInIncrementalAutoVacuumFromTheStart()
    {
        using var ingest = IngestDatabase.Create(_directory);

        foreach (var database in new[] { ingest.Log, ingest.State })
        {
            await using var connection = await database.OpenAsync();
            Assert.Equal(2L, await ScalarAsync(connection, "PRAGMA auto_vacuum;")); // 2: incremental
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
