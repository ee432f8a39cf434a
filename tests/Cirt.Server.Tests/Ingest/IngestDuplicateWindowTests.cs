using Cirt.Contracts.V1;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Ingest;

/// <summary>
/// The duplicate window across restarts and its bound on disk, on a server that remembers 20 targets
/// (two generations of 10) and records a pass every 10 events at most.
/// </summary>
public sealed class IngestDuplicateWindowTests : IAsyncLifetime
{
    private const int Targets = 20;
    private const int PassEvents = 10;

    private readonly ServerFixture _server = new()
    {
        ExtraArguments =
        [
            "--Cirt:Ingest:DuplicateWindowTargets", $"{Targets}",
            "--Cirt:Ingest:AggregationFlushEvents", $"{PassEvents}",
            "--Cirt:Ingest:AggregationPassEvents", $"{PassEvents}",
            "--Cirt:Ingest:MaxBatchEvents", $"{PassEvents}",
            "--Cirt:Ingest:ResendWindowEvents", "60",
        ],
    };

    private string _sensorKey = "";
    private IngestService.IngestServiceClient _sensor = null!;
    private IngestService.IngestServiceClient _analyst = null!;

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
    public async Task ARepeatOfATargetSeenBeforeARestartIsADuplicate()
    {
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.64.1.1")) });
        await IngestStats.SettledAsync(_analyst, stored: 1);

        await _server.StopAsync();
        await _server.StartAsync();
        Connect();
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.64.1.1"), Events.Infected("100.64.1.2")) });

        var stats = await IngestStats.SettledAsync(_analyst, stored: 3);
        Assert.Equal(1, stats.Total.Duplicates);
        var list = await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = "net-a" });
        var incident = (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = Assert.Single(list.Incidents).TrackingId })).Incident;
        Assert.Equal((3, 1), (incident.EventCount, incident.DuplicateCount));
    }

    [Fact]
    public async Task TheWindowOnDiskStaysBoundedAndAfterARestartStillKnowsTheLatestTargets()
    {
        // 120 new targets, a pass each 10: the runs on disk would hold 120 sightings unbounded.
        for (var b = 0; b < 12; b++)
        {
            await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Enumerable.Range(0, PassEvents).Select(i => Events.Infected($"100.64.2.{(b * PassEvents) + i}")).ToArray()) });
            await IngestStats.SettledAsync(_analyst, stored: (b + 1) * PassEvents);
        }

        await _server.StopAsync();
        await using (var state = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "ingest-state.db")};Mode=ReadOnly;Pooling=False"))
        {
            await state.OpenAsync();
            await using var runs = state.CreateCommand();
            runs.CommandText = "SELECT coalesce(sum(length(targets)), 0) / 16 FROM ingest_target_run;";
            Assert.InRange((long)(await runs.ExecuteScalarAsync())!, 1, (2 * Targets) + PassEvents);
        }

        await _server.StartAsync();
        Connect();
        // The last target seen is remembered; the first, followed by far more than the window holds, is not.
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.64.2.119"), Events.Infected("100.64.2.0")) });
        var stats = await IngestStats.SettledAsync(_analyst, stored: 122);
        Assert.Equal(1, stats.Total.Duplicates);
    }

    /// <summary>Clients on the server's current channel (a new one after each start), with the same keys.</summary>
    private void Connect()
    {
        _sensor = new IngestService.IngestServiceClient(_server.Invoker(_sensorKey));
        _analyst = new IngestService.IngestServiceClient(_server.Invoker(_server.AnalystKey));
    }
}
