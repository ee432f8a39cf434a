using System.Buffers.Binary;
using Cirt.Contracts.V1;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Ingest;

/// <summary>
/// Resend recognition across restarts and its bound, on a server with a tiny resend window: passes
/// of at most about 30 events, a window of 60 keys (two generations of 30).
/// </summary>
public sealed class IngestResendWindowTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new()
    {
        ExtraArguments =
        [
            "--Cirt:Ingest:ResendWindowEvents", "60",
            "--Cirt:Ingest:AggregationFlushEvents", "10",
            "--Cirt:Ingest:AggregationPassEvents", "10",
            "--Cirt:Ingest:MaxBatchEvents", "10",
        ],
    };

    private string _sensorKey = "";
    private IngestService.IngestServiceClient _sensor = null!;
    private IngestService.IngestServiceClient _analyst = null!;

    private string StatePath => Path.Combine(_server.DataDirectory, "ingest-state.db");

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _sensorKey = await _server.IssueKeyAsync("sensor", Role.Operator, "gridco");
        await _server.GrantFeedAsync("honeypot-1", _sensorKey);
        Connect();
        var stakeholder = TestStakeholders.NewStakeholder("DIGITAL_INFRASTRUCTURE");
        stakeholder.Id = "net-a";
        stakeholder.Constituency = new Constituency { IpPrefixes = { "100.64.0.0/16" } };
        await _server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder });
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task AResendAfterARestartIsRecognised()
    {
        var batch = Events.Batch(Enumerable.Range(1, 5).Select(i => Events.Infected($"100.64.1.{i}")).ToArray());
        await _sensor.PublishAsync(new PublishRequest { Batch = batch });
        var before = await IngestStats.SettledAsync(_analyst, stored: 5);

        await RestartAsync();
        await _sensor.PublishAsync(new PublishRequest { Batch = batch });

        var after = await SettledAsync(before, resent: 5);
        Assert.Equal(before.Total.Stored, after.Total.Stored);
    }

    [Fact]
    public async Task TheWindowIsBoundedAnEventResentAfterItIsStoredAgainAndForgottenRunsAreDeleted()
    {
        var first = Events.Batch(Events.Infected("100.64.2.1"));
        await _sensor.PublishAsync(new PublishRequest { Batch = first });
        await IngestStats.SettledAsync(_analyst, stored: 1);
        EventBatch last = first;
        for (var b = 0; b < 10; b++)
        {
            last = Events.Batch(Enumerable.Range(0, 10).Select(i => Events.Infected($"100.64.3.{(b * 10) + i}")).ToArray());
            await _sensor.PublishAsync(new PublishRequest { Batch = last });
        }

        var before = await IngestStats.SettledAsync(_analyst, stored: 101);

        // 100 events were stored after the first one: more than the window remembers.
        await _sensor.PublishAsync(new PublishRequest { Batch = first });
        var afterFirst = await IngestStats.SettledAsync(_analyst, stored: 102);
        Assert.Equal(before.Total.Resent, afterFirst.Total.Resent);
        // The last ten were stored moments ago: recognised.
        await _sensor.PublishAsync(new PublishRequest { Batch = last });
        await SettledAsync(afterFirst, resent: 10);

        await using var state = new SqliteConnection($"Data Source={StatePath};Mode=ReadOnly;Pooling=False");
        await state.OpenAsync();
        await using var runs = state.CreateCommand();
        runs.CommandText = "SELECT count(DISTINCT generation), sum(length(keys)) / 8 FROM ingest_key_run;";
        await using var reader = await runs.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.InRange(reader.GetInt64(0), 1, 2);
        Assert.InRange(reader.GetInt64(1), 1, 60);
    }

    [Fact]
    public async Task AnInstallFromBeforeResendRunsUpgradesAtStartAndItsKeysStillRecogniseResends()
    {
        var batch = Events.Batch(Events.Infected("100.64.4.1"), Events.Infected("100.64.4.2"));
        await _sensor.PublishAsync(new PublishRequest { Batch = batch });
        var before = await IngestStats.SettledAsync(_analyst, stored: 2);
        await _server.StopAsync();

        // The state file as servers before resend runs left it: the first schema script only, one
        // row per event key in ingest_event_key.
        await using (var state = new SqliteConnection($"Data Source={StatePath};Pooling=False"))
        {
            await state.OpenAsync();
            var keys = new List<long>();
            await using (var read = state.CreateCommand())
            {
                read.CommandText = "SELECT keys FROM ingest_key_run;";
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var blob = (byte[])reader[0];
                    keys.AddRange(Enumerable.Range(0, blob.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(blob.AsSpan(i * 8, 8))));
                }
            }

            Assert.Equal(2, keys.Count);
            await using var rewrite = state.CreateCommand();
            rewrite.CommandText = $"""
                DROP TABLE ingest_key_run;
                DROP TABLE ingest_target_run;
                DELETE FROM cirt_schema WHERE script <> '001-ingest-state.sql';
                CREATE TABLE ingest_event_key (key INTEGER NOT NULL PRIMARY KEY);
                INSERT INTO ingest_event_key (key) VALUES ({string.Join("), (", keys)});
                """;
            await rewrite.ExecuteNonQueryAsync();
        }

        await _server.StartAsync();
        Connect();
        await _sensor.PublishAsync(new PublishRequest { Batch = batch });

        var after = await SettledAsync(before, resent: 2);
        Assert.Equal(before.Total.Stored, after.Total.Stored);
        await using var check = new SqliteConnection($"Data Source={StatePath};Mode=ReadOnly;Pooling=False");
        await check.OpenAsync();
        await using var table = check.CreateCommand();
        table.CommandText = """
            SELECT count(*) FROM sqlite_master WHERE name = 'ingest_event_key';
            SELECT count(*) FROM cirt_schema;
            """;
        await using var answers = await table.ExecuteReaderAsync();
        await answers.ReadAsync();
        Assert.Equal(0L, answers.GetInt64(0));
        await answers.NextResultAsync();
        await answers.ReadAsync();
        Assert.Equal(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "sql", "sqlite", "ingest-state"), "*.sql").Length, answers.GetInt64(0));
    }

    private async Task RestartAsync()
    {
        await _server.StopAsync();
        await _server.StartAsync();
        Connect();
    }

    /// <summary>Clients on the server's current channel (a new one after each start), with the same keys.</summary>
    private void Connect()
    {
        _sensor = new IngestService.IngestServiceClient(_server.Invoker(_sensorKey));
        _analyst = new IngestService.IngestServiceClient(_server.Invoker(_server.AnalystKey));
    }

    /// <summary>Waits until the resend is counted (a resend adds nothing to the stored total, so that cannot be waited for).</summary>
    private async Task<GetIngestStatsResponse> SettledAsync(GetIngestStatsResponse before, long resent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var stats = await IngestStats.SettledAsync(_analyst);
            if (stats.Total.Resent >= before.Total.Resent + resent || stats.Total.Stored > before.Total.Stored)
            {
                Assert.Equal(before.Total.Resent + resent, stats.Total.Resent);
                return stats;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the resend was not counted: resent {stats.Total.Resent}, stored {stats.Total.Stored}");
            await Task.Delay(50);
        }
    }
}
