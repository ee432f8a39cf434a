using Cirt.Contracts.V1;
using Cirt.Server.Ingest;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Ingest;

/// <summary>
/// At a low rate, an aggregation pass gathers the log for the whole interval: an incident is
/// rewritten once per interval, not once per batch.
/// </summary>
public sealed class IngestAggregationIntervalTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { ExtraArguments = ["--Cirt:Ingest:AggregationFlushInterval", "00:00:04"] };
    private IngestService.IngestServiceClient _sensor = null!;
    private IngestService.IngestServiceClient _analyst = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        foreach (var (id, prefix) in new[] { ("net-a", "100.64.0.0/16"), ("net-b", "100.65.0.0/16") })
        {
            var stakeholder = TestStakeholders.NewStakeholder("DIGITAL_INFRASTRUCTURE");
            stakeholder.Id = id;
            stakeholder.Constituency = new Constituency { IpPrefixes = { prefix } };
            await _server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder });
        }

        var sensorKey = await _server.IssueKeyAsync("sensor", Role.Operator, "gridco");
        await _server.GrantFeedAsync("honeypot-1", sensorKey);
        _sensor = new IngestService.IngestServiceClient(_server.Invoker(sensorKey));
        _analyst = new IngestService.IngestServiceClient(_server.Invoker(_server.AnalystKey));
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task BatchesTricklingInWithinTheIntervalUpdateTheirIncidentOnce()
    {
        // One batch: the incident as one pass leaves it (opened, then counted once).
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.64.0.1")) });
        await IngestStats.SettledAsync(_analyst, stored: 1);
        var single = Assert.Single(await IncidentsOfAsync("net-a"));

        // Five batches for another stakeholder, each sent once the aggregator has read the one before
        // and found the log at its end: a pass that ended there would write the incident each time.
        var aggregator = _server.Services.GetRequiredService<IngestAggregator>();
        for (var i = 1; i <= 5; i++)
        {
            await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected($"100.65.0.{i}")) });
            var logged = await LastLoggedAsync();
            await Eventually.ReadAsync(() => Task.FromResult(aggregator.GatheredSeq), read => read >= logged, $"the aggregator did not read log position {logged}");
        }

        await IngestStats.SettledAsync(_analyst, stored: 6);
        var trickled = Assert.Single(await IncidentsOfAsync("net-b"));
        Assert.Equal(5, trickled.EventCount);
        Assert.Equal(single.Version, trickled.Version);
    }

    private async Task<long> LastLoggedAsync()
    {
        await using var log = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "ingest.db")};Mode=ReadOnly;Pooling=False");
        await log.OpenAsync();
        await using var command = log.CreateCommand();
        command.CommandText = "SELECT max(seq) FROM ingest_batch;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<Incident[]> IncidentsOfAsync(string stakeholder)
    {
        var list = await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = stakeholder });
        return await Task.WhenAll(list.Incidents.Select(async s =>
            (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = s.TrackingId })).Incident));
    }
}
