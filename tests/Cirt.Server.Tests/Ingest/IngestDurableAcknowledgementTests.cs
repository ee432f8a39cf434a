using Cirt.Contracts.V1;
using Cirt.Server.Ingest;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Ingest;

/// <summary>
/// An acknowledgement means durable: while the ingest log's group commit cannot happen (another
/// connection holds the write lock of data/ingest.db, as a stalled disk would hold the writer back),
/// no acknowledgement arrives; once the commit is possible, it arrives, and the batch is on disk.
/// </summary>
public sealed class IngestDurableAcknowledgementTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();
    private IngestService.IngestServiceClient _sensor = null!;

    private string LogPath => Path.Combine(_server.DataDirectory, "ingest.db");

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        var sensorKey = await _server.IssueKeyAsync("sensor", Role.Operator, "gridco");
        await _server.GrantFeedAsync("honeypot-1", sensorKey);
        _sensor = new IngestService.IngestServiceClient(_server.Invoker(sensorKey));
        // The log writer at work once already, so that what follows waits for the disk and for nothing else.
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.64.0.1")) });
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task NoAcknowledgementArrivesWhileTheGroupCommitIsHeldBackAndItArrivesOnceTheBatchIsOnDisk()
    {
        var log = _server.Services.GetRequiredService<IngestLog>();
        var batch = Events.Batch(Events.Infected("100.64.0.2"), Events.Infected("100.64.0.3"));
        await using var writer = new SqliteConnection($"Data Source={LogPath};Pooling=False");
        await writer.OpenAsync();
        var logged = await LoggedBatchesAsync(writer);
        await ExecuteAsync(writer, "BEGIN IMMEDIATE;");

        var publishing = _sensor.PublishAsync(new PublishRequest { Batch = batch }).ResponseAsync;

        // The batch reached the log and waits there: its writer cannot begin its transaction.
        await Eventually.ReadAsync(() => Task.FromResult(log.Queued), queued => queued == 1, "the batch did not reach the ingest log's queue");
        // A round trip on the same connection, then a moment more: an acknowledgement sent without
        // waiting for the commit would be here by now.
        await _server.Ingest(_server.AnalystKey).GetIngestStatsAsync(new GetIngestStatsRequest());
        await Task.WhenAny(publishing, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.False(publishing.IsCompleted, "a batch was acknowledged before its commit");
        Assert.Equal(logged, await LoggedBatchesAsync(writer));

        await ExecuteAsync(writer, "ROLLBACK;");

        var acknowledged = await publishing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, acknowledged.Ack.AcceptedCount);
        // Acknowledged means committed: the batch is in the log's file, read on a connection of its own.
        Assert.Equal(logged + 1, await LoggedBatchesAsync(writer));
    }

    private static async Task<long> LoggedBatchesAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM ingest_batch;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
