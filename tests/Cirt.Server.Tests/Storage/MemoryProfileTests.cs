using Cirt.Contracts.V1;
using Cirt.Server.Ingest;
using Cirt.Server.Tests.Ingest;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Storage;

/// <summary>The Memory profile keeps everything in memory, ingest included, and leaves nothing behind once stopped.</summary>
public sealed class MemoryProfileTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { Storage = "Memory" };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task IngestWorksInMemoryAndStoppingLeavesNoDatabaseBehind()
    {
        var ingest = _server.Services.GetRequiredService<IngestDatabase>();
        var log = ingest.Log.DataSource.ConnectionString;
        var state = ingest.State.DataSource.ConnectionString;

        await _server.GrantFeedAsync("honeypot-1", _server.GridcoKey);
        var ack = (await _server.Ingest().PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("192.0.2.1"), Events.Infected("192.0.2.2")) })).Ack;
        Assert.Equal(2, ack.AcceptedCount);
        var stats = await IngestStats.SettledAsync(_server.Ingest(_server.AnalystKey), stored: 2);
        Assert.Equal(2, stats.Total.Stored);
        Assert.True(ingest.Log.IsInMemory && ingest.State.IsInMemory);
        Assert.Equal(2, Count(log, "SELECT sum(event_count) FROM ingest_batch;"));

        await _server.StopAsync();

        // Nothing on disk (the profile once left a cirt-memory-* folder of SQLite files in the
        // temporary folder at every start): no file where the databases say they are, and nothing
        // in the data folder but the bootstrap key.
        foreach (var database in new[] { ingest.Log, ingest.State })
        {
            Assert.True(database.IsInMemory, $"{database.Path} is not in memory");
            Assert.DoesNotContain(new[] { "", "-wal", "-shm", "-journal" }, suffix => Path.Exists(Path.GetFullPath(database.Path + suffix)));
        }

        Assert.Equal(["bootstrap-coordinator.key"], Directory.GetFileSystemEntries(_server.DataDirectory).Select(Path.GetFileName));
        // And nothing kept in memory either: the same names now open empty databases.
        Assert.Equal(0, Count(log, "SELECT count(*) FROM sqlite_schema;"));
        Assert.Equal(0, Count(state, "SELECT count(*) FROM sqlite_schema;"));
    }

    private static long Count(string connectionString, string sql)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
