using Cirt.Contracts.V1;
using Cirt.Server.Ingest;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cirt.Server.Tests.Ingest;

/// <summary>
/// Retention on a real server and its real files, with the business clock moved by hand: the log
/// keeps a day, unmatched events an hour, resend keys ten days; the pruner runs every 200 ms.
/// </summary>
public sealed class IngestRetentionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly ServerFixture _server;
    private string _sensorKey = "";
    private IngestService.IngestServiceClient _sensor = null!;
    private IngestService.IngestServiceClient _analyst = null!;

    public IngestRetentionTests()
    {
        _server = new ServerFixture
        {
            Clock = _clock,
            ExtraArguments =
            [
                "--Cirt:Retention:IngestLog", "1.00:00:00",
                "--Cirt:Retention:Unmatched", "01:00:00",
                "--Cirt:Retention:ResendKeys", "10.00:00:00",
                "--Cirt:Retention:Interval", "00:00:00.2",
                "--Cirt:Retention:BatchRows", "1",
            ],
        };
    }

    private string LogPath => Path.Combine(_server.DataDirectory, "ingest.db");

    private string StatePath => Path.Combine(_server.DataDirectory, "ingest-state.db");

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _sensorKey = await _server.IssueKeyAsync("sensor", Role.Operator, "gridco");
        await _server.GrantFeedAsync("honeypot-1", _sensorKey);
        Connect();
        var stakeholder = TestStakeholders.NewStakeholder("DIGITAL_INFRASTRUCTURE");
        stakeholder.Id = "net-r";
        stakeholder.Constituency = new Constituency { IpPrefixes = { "100.66.0.0/16" } };
        await _server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder });
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task OldBatchesAndUnmatchedEventsArePrunedNewOnesKeptAndTheTotalsStay()
    {
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.66.1.1"), Events.Infected("100.66.1.2"), Events.Infected("198.18.0.7")) });
        await IngestStats.SettledAsync(_analyst, stored: 3);
        _clock.Advance(TimeSpan.FromDays(2));
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.66.1.3"), Events.Infected("198.18.0.8")) });
        var before = await IngestStats.SettledAsync(_analyst, stored: 5);

        // Every batch of the log received before the cut-off goes, in rows of one (BatchRows 1); the new one stays.
        var cutOff = _clock.GetUtcNow().AddDays(-1).ToUnixTimeMilliseconds();
        await Eventually.ReadAsync(() => CountAsync(LogPath, $"SELECT count(*) FROM ingest_batch WHERE received_at < {cutOff}"), n => n == 0,
            "the batch older than the log's retention was not pruned");
        Assert.Equal(2L, await CountAsync(LogPath, "SELECT coalesce(sum(event_count), 0) FROM ingest_batch"));
        // The constituency index may learn of net-r a moment after it is created: which of the
        // 100.66 events were unmatched does not matter here, only that none of the old batch is left.
        var unmatched = await Eventually.ReadAsync(() => _analyst.ListUnmatchedEventsAsync(new ListUnmatchedEventsRequest()).ResponseAsync,
            page => page.Events.All(u => u.ReceivedAt.ToDateTimeOffset() > _clock.GetUtcNow().AddHours(-1)),
            "an unmatched event older than its retention was not pruned");
        Assert.Contains(unmatched.Events, u => u.Event.SourceIp == "198.18.0.8");
        Assert.DoesNotContain(unmatched.Events, u => u.Event.SourceIp == "198.18.0.7");

        var after = await _analyst.GetIngestStatsAsync(new GetIngestStatsRequest());
        Assert.Equal(before.Total, after.Total);
        Assert.Equal(5, after.Total.Stored);
        // The total still counts the unmatched events pruned since.
        Assert.True(after.Total.Unmatched > unmatched.TotalSize, $"unmatched total {after.Total.Unmatched}, listed {unmatched.TotalSize}");

        // What was pruned, by kind, and when the last pass ended, on the scrape endpoint (the pass
        // records its end once it has finished, a moment after the rows are gone).
        using var http = new HttpClient();
        var sinceOneDay = _clock.GetUtcNow().AddDays(-1).ToUnixTimeSeconds();
        var metrics = await Eventually.ReadAsync(
            async () => (await http.GetStringAsync(new Uri(_server.MetricsAddress + "/metrics"))).Split('\n'),
            lines => Value(lines, "cirt_ingest_last_prune_time", "") >= sinceOneDay,
            "no pruning pass time");
        Assert.True(Value(metrics, "cirt_ingest_rows_pruned", "kind=\"ingest_log\"") >= 1, "no pruned log batch counted");
        Assert.True(Value(metrics, "cirt_ingest_rows_pruned", "kind=\"unmatched\"") >= 1, "no pruned unmatched event counted");

        static double Value(string[] lines, string prefix, string label) => lines
            .Where(line => line.StartsWith(prefix, StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
            .Select(line => double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Sum();
    }

    [Fact]
    public async Task BatchesTheAggregatorHasNotAppliedAreNeverPrunedWhateverTheirAge()
    {
        await _server.Services.GetRequiredService<IngestAggregator>().StopAsync(CancellationToken.None);
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.66.2.1")) });
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.66.2.2")) });
        _clock.Advance(TimeSpan.FromDays(3));
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.66.2.3")) });

        // Two whole passes after the clock moved: each would have pruned both old batches, were they applied.
        await PrunedTwiceMoreAsync();
        Assert.Equal(3L, await CountAsync(LogPath, "SELECT count(*) FROM ingest_batch"));

        await RestartAsync();
        var stats = await IngestStats.SettledAsync(_analyst, stored: 3);
        Assert.Equal(3, stats.Total.Stored);
        // Applied now, and old: they go; the newest batch stays, whatever its age, so that positions never start over.
        await Eventually.ReadAsync(() => CountAsync(LogPath, "SELECT count(*) FROM ingest_batch"), n => n == 1,
            "the old batches were not pruned once applied");
        _clock.Advance(TimeSpan.FromDays(3));
        await PrunedTwiceMoreAsync();
        Assert.Equal(1L, await CountAsync(LogPath, "SELECT count(*) FROM ingest_batch"));

        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.66.2.4")) });
        Assert.Equal(4, (await IngestStats.SettledAsync(_analyst, stored: 4)).Total.Stored);
    }

    [Fact]
    public async Task AResendWithinTheKeysRetentionIsRecognisedAfterTheLogIsPrunedAndStoredAgainAfterIt()
    {
        var batch = Events.Batch(Events.Infected("100.66.3.1"));
        await _sensor.PublishAsync(new PublishRequest { Batch = batch });
        await IngestStats.SettledAsync(_analyst, stored: 1);
        _clock.Advance(TimeSpan.FromDays(2));
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.66.3.2")) });
        await IngestStats.SettledAsync(_analyst, stored: 2);
        await Eventually.ReadAsync(() => CountAsync(LogPath, "SELECT count(*) FROM ingest_batch"), n => n == 1,
            "the first batch was not pruned from the log");

        // Within ten days: recognised, even by a restarted server that reads the keys from disk.
        await RestartAsync();
        var before = await _analyst.GetIngestStatsAsync(new GetIngestStatsRequest());
        await _sensor.PublishAsync(new PublishRequest { Batch = batch });
        var resent = await Eventually.ReadAsync(() => _analyst.GetIngestStatsAsync(new GetIngestStatsRequest()).ResponseAsync,
            s => s.Backlog == 0 && (s.Total.Resent > before.Total.Resent || s.Total.Stored > before.Total.Stored), "the resend was not counted");
        Assert.Equal(before.Total.Resent + 1, resent.Total.Resent);
        Assert.Equal(before.Total.Stored, resent.Total.Stored);

        // Beyond them the keys are gone from disk, and a server started since stores the resend again.
        _clock.Advance(TimeSpan.FromDays(11));
        var cutOff = _clock.GetUtcNow().AddDays(-10).ToUnixTimeMilliseconds();
        await Eventually.ReadAsync(() => CountAsync(StatePath, $"SELECT count(*) FROM ingest_key_run WHERE written_at < {cutOff}"), n => n == 0,
            "the resend keys older than their retention were not pruned");
        await RestartAsync();
        await _sensor.PublishAsync(new PublishRequest { Batch = batch });
        var stored = await IngestStats.SettledAsync(_analyst, stored: 3);
        Assert.Equal(resent.Total.Resent, stored.Total.Resent);
    }

    [Fact]
    public async Task ADataFolderFromBeforeRetentionIsConvertedAtStartAndKeepsEverything()
    {
        var batch = Events.Batch(Events.Infected("100.66.4.1"), Events.Infected("198.18.4.1"));
        await _sensor.PublishAsync(new PublishRequest { Batch = batch });
        var before = await IngestStats.SettledAsync(_analyst, stored: 2);
        await _server.StopAsync();

        // Both files as a server before retention left them: no auto-vacuum, resend runs without a time.
        foreach (var path in new[] { LogPath, StatePath })
        {
            await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = path == StatePath
                ? "ALTER TABLE ingest_key_run DROP COLUMN written_at; DELETE FROM cirt_schema WHERE script = '005-key-run-written-at.sql'; PRAGMA auto_vacuum = NONE; VACUUM;"
                : "PRAGMA auto_vacuum = NONE; VACUUM;";
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(0L, await CountAsync(LogPath, "PRAGMA auto_vacuum"));
        await _server.StartAsync();
        Connect();

        Assert.Equal(2L, await CountAsync(LogPath, "PRAGMA auto_vacuum")); // incremental
        Assert.Equal(2L, await CountAsync(StatePath, "PRAGMA auto_vacuum"));
        Assert.Equal(0L, await CountAsync(StatePath, "SELECT count(*) FROM ingest_key_run WHERE written_at = 0"));
        Assert.Equal(before.Total, (await _analyst.GetIngestStatsAsync(new GetIngestStatsRequest())).Total);
        Assert.Equal(2L, await CountAsync(LogPath, "SELECT sum(event_count) FROM ingest_batch"));
        // The keys moved over with their new column: a resend is still recognised.
        await _sensor.PublishAsync(new PublishRequest { Batch = batch });
        var after = await Eventually.ReadAsync(() => _analyst.GetIngestStatsAsync(new GetIngestStatsRequest()).ResponseAsync,
            s => s.Backlog == 0 && (s.Total.Resent > 0 || s.Total.Stored > 2), "the resend was not counted");
        Assert.Equal(2, after.Total.Resent);
        Assert.Equal(2, after.Total.Stored);
    }

    private async Task PrunedTwiceMoreAsync()
    {
        var pruner = _server.Services.GetRequiredService<IngestPruner>();
        var passes = pruner.Passes;
        await Eventually.ReadAsync(() => Task.FromResult(pruner.Passes), n => n >= passes + 2, "the pruner did not run");
    }

    private static async Task<long> CountAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql + ";";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task RestartAsync()
    {
        await _server.StopAsync();
        await _server.StartAsync();
        Connect();
    }

    private void Connect()
    {
        _sensor = new IngestService.IngestServiceClient(_server.Invoker(_sensorKey));
        _analyst = new IngestService.IngestServiceClient(_server.Invoker(_server.AnalystKey));
    }
}
