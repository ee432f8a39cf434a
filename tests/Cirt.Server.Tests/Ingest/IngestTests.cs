using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Ingest;

/// <summary>A server of its own, with three stakeholders whose constituencies the tests know.</summary>
public sealed class IngestTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();
    private IngestService.IngestServiceClient _sensor = null!;
    private IngestService.IngestServiceClient _analyst = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await CreateAsync("net-a", prefixes: ["100.64.0.0/16", "100.64.7.0/24"], asns: [], domains: []);
        await CreateAsync("net-b", prefixes: ["100.64.7.128/25"], asns: [64512], domains: []);
        await CreateAsync("net-c", prefixes: [], asns: [], domains: ["victim.example"]);
        // gridco's sensor reports about every network here: a NATIONAL feed lets it.
        var sensorKey = await _server.IssueKeyAsync("sensor", Role.Operator, "gridco");
        foreach (var feed in new[] { "honeypot-1", "scanner-x" })
        {
            await _server.GrantFeedAsync(feed, sensorKey);
        }

        _sensor = new IngestService.IngestServiceClient(_server.Invoker(sensorKey));
        _analyst = new IngestService.IngestServiceClient(_server.Invoker(_server.AnalystKey));
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task EventsAreRoutedDeduplicatedAndAggregatedIntoOneIncidentPerStakeholderTypeAndDay()
    {
        var observed = DateTimeOffset.UtcNow.AddMinutes(-5);
        var batch = Events.Batch(
            Events.Infected("100.64.1.1", observedAt: observed),
            Events.Infected("100.64.1.2", observedAt: observed),
            Events.Infected("100.64.1.1", observedAt: observed.AddMinutes(1)),   // same target within the window: duplicate
            Events.Infected("100.64.7.200", observedAt: observed),               // longest prefix: net-b, not net-a
            Events.Infected("100.64.7.10", observedAt: observed),                // /24 of net-a
            Events.Infected("198.18.0.1", observedAt: observed),                 // nobody's
            new Event(Events.Infected("", observedAt: observed)) { Fqdn = "www.Victim.Example." });

        var ack = (await _sensor.PublishAsync(new PublishRequest { Batch = batch })).Ack;

        Assert.Equal(7, ack.AcceptedCount);
        Assert.Empty(ack.Rejected);
        var stats = await SettledStatsAsync(stored: 7);
        Assert.Equal(1, stats.Total.Duplicates);
        Assert.Equal(1, stats.Total.Unmatched);
        var incidentsOfA = await IncidentsOfAsync("net-a");
        var incident = Assert.Single(incidentsOfA);
        Assert.Equal("ingest", incident.Origin);
        Assert.Equal(4, incident.EventCount);
        Assert.Equal(1, incident.DuplicateCount);
        Assert.Equal("malicious-code", incident.RsitClass);
        Assert.Equal($"infected-system in Test Utility's network on {DateTimeOffset.UtcNow.AddMinutes(-5):yyyy-MM-dd}", incident.Title);
        Assert.Equal(["100.64.1.1", "100.64.1.2", "100.64.7.10"], incident.Observables.Select(o => o.Value).Order());
        Assert.Equal(1, Assert.Single(await IncidentsOfAsync("net-b")).EventCount);
        Assert.Equal(1, Assert.Single(await IncidentsOfAsync("net-c")).EventCount);
        var unmatched = await _analyst.ListUnmatchedEventsAsync(new ListUnmatchedEventsRequest());
        Assert.Equal("198.18.0.1", Assert.Single(unmatched.Events).Event.SourceIp);
        Assert.Equal("sensor@gridco", unmatched.Events[0].Producer);
    }

    [Fact]
    public async Task ResendingABatchStoresNothingTwice()
    {
        var batch = Events.Batch(Events.Infected("100.64.2.1"), Events.Infected("100.64.2.2"));
        await _sensor.PublishAsync(new PublishRequest { Batch = batch });
        var before = await SettledStatsAsync(stored: null);

        var again = (await _sensor.PublishAsync(new PublishRequest { Batch = batch })).Ack;

        Assert.Equal(2, again.AcceptedCount);
        var after = await SettledStatsAsync(stored: before.Total.Stored);
        Assert.Equal(before.Total.Resent + 2, after.Total.Resent);
    }

    [Fact]
    public async Task BadEventsAreRefusedByIndexAndTheRestOfTheBatchIsStored()
    {
        var batch = Events.Batch(
            Events.Infected("100.64.3.1"),
            Events.Infected("010.0.0.1"),
            Events.Infected("100.64.3.2"),
            new Event(Events.Infected("100.64.3.3")) { RsitType = "phishing" },
            new Event(Events.Infected("100.64.3.4")) { Feed = "" });

        var ack = (await _sensor.PublishAsync(new PublishRequest { Batch = batch })).Ack;

        Assert.Equal(2, ack.AcceptedCount);
        Assert.Equal([(1, "source_ip"), (3, "rsit_type"), (4, "feed")], ack.Rejected.Select(r => (r.Index, r.Field)));
    }

    [Fact]
    public async Task AMalformedBatchAsAWholeIsInvalid()
    {
        Assert.Equal(["batch.events"], await RpcAssert.InvalidFields(() => _sensor.PublishAsync(new PublishRequest()).ResponseAsync));
        var huge = Events.Batch(Enumerable.Range(0, 5_001).Select(i => Events.Infected("100.64.4.1")).ToArray());
        Assert.Equal(["batch.events"], await RpcAssert.InvalidFields(() => _sensor.PublishAsync(new PublishRequest { Batch = huge }).ResponseAsync));
    }

    [Fact]
    public async Task AStreamAcknowledgesEveryBatchInOrder()
    {
        using var call = _sensor.Stream();
        var batches = Enumerable.Range(0, 30).Select(i => Events.Batch(Events.Infected($"100.64.5.{i}"), Events.Infected($"100.64.6.{i}"))).ToArray();
        var reading = Task.Run(async () =>
        {
            var acks = new List<BatchAck>();
            await foreach (var response in call.ResponseStream.ReadAllAsync())
            {
                acks.Add(response.Ack);
            }

            return acks;
        });

        foreach (var batch in batches)
        {
            await call.RequestStream.WriteAsync(new StreamRequest { Batch = batch });
        }

        await call.RequestStream.CompleteAsync();
        var acks = await reading;

        Assert.Equal(batches.Select(b => b.BatchId), acks.Select(a => a.BatchId));
        Assert.All(acks, a => Assert.Equal(2, a.AcceptedCount));
    }

    [Fact]
    public async Task AConstituencyChangeAppliesToTheNextEventsWithoutARestart()
    {
        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("198.19.0.1", feed: "scanner-x")) });
        await SettledStatsAsync(stored: null);
        var c = (await _server.Stakeholders().GetStakeholderAsync(new GetStakeholderRequest { Id = "net-c" })).Stakeholder;
        c.Constituency.IpPrefixes.Add("198.19.0.0/16");
        await _server.Stakeholders().UpdateStakeholderAsync(new UpdateStakeholderRequest { Stakeholder = c });

        await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("198.19.0.2", feed: "scanner-x")) });

        var stats = await SettledStatsAsync(stored: null);
        var feed = stats.Feeds.Single(f => f.Feed == "scanner-x");
        Assert.Equal(2, feed.Stored);
        Assert.Equal(1, feed.Unmatched);
    }

    [Fact]
    public async Task ConcurrentProducersGetExactCounts()
    {
        const int Producers = 4, BatchesEach = 10, EventsPerBatch = 200;
        var before = await SettledStatsAsync(stored: null);
        var producers = Enumerable.Range(0, Producers).Select(async p =>
        {
            var key = await _server.IssueKeyAsync($"sensor-{p}", Role.Operator, "gridco");
            await _server.GrantFeedAsync("concurrency", key);
            var client = new IngestService.IngestServiceClient(_server.Invoker(key));
            for (var b = 0; b < BatchesEach; b++)
            {
                // Every 10th event repeats its neighbour's target (a duplicate); every 20th is nobody's (unmatched).
                var events = Enumerable.Range(0, EventsPerBatch).Select(i =>
                {
                    var n = (((p * BatchesEach) + b) * EventsPerBatch) + i;
                    var target = n % 20 == 19 ? $"198.51.{n % 256}.{n / 256 % 256}" : $"100.{65 + (n / 65536)}.{n / 256 % 256}.{n % 256}";
                    return Events.Infected(n % 10 == 9 ? Address(n - 1) : target, feed: "concurrency");
                }).ToArray();
                var ack = (await client.PublishAsync(new PublishRequest { Batch = Events.Batch(events) })).Ack;
                Assert.Equal(EventsPerBatch, ack.AcceptedCount);
            }
        });
        await Task.WhenAll(producers);

        var stats = await SettledStatsAsync(stored: before.Total.Stored + (Producers * BatchesEach * EventsPerBatch));
        var feed = stats.Feeds.Single(f => f.Feed == "concurrency");
        Assert.Equal(Producers * BatchesEach * EventsPerBatch, feed.Stored);
        Assert.Equal(Producers * BatchesEach * EventsPerBatch / 10, feed.Duplicates);
        Assert.Equal(0, feed.Resent);

        static string Address(int n) => n % 20 == 19 ? $"198.51.{n % 256}.{n / 256 % 256}" : $"100.{65 + (n / 65536)}.{n / 256 % 256}.{n % 256}";
    }

    [Fact]
    public async Task ProducersGetTheirOwnKeysCheckedAndAnalystsReadTheResults()
    {
        var anonymous = new IngestService.IngestServiceClient(_server.Invoker(""));
        await RpcAssert.FailsWith(StatusCode.Unauthenticated,
            () => anonymous.PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("100.64.9.9")) }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => _sensor.GetIngestStatsAsync(new GetIngestStatsRequest()).ResponseAsync);
    }

    [Fact]
    public async Task TheLogsWriteAheadFileIsCheckpointedBesideTheWriterNotGrownWithoutEnd()
    {
        // Commits leave checkpoints to a background task: if it stopped working, everything ever
        // acknowledged would pile up in ingest.db-wal and the database file would stay empty.
        const int Rounds = 5;
        for (var round = 0; round < Rounds; round++)
        {
            for (var b = 0; b < 20; b++)
            {
                var events = Enumerable.Range(0, 500).Select(i => Events.Infected($"100.64.{round}.{i % 250}")).ToArray();
                Assert.Equal(500, (await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(events) })).Ack.AcceptedCount);
            }

            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        var log = new FileInfo(Path.Combine(_server.DataDirectory, "ingest.db"));
        var wal = new FileInfo(log.FullName + "-wal");
        Assert.True(wal.Length < log.Length / 2,
            $"the write-ahead log ({wal.Length:N0} bytes) should hold at most a round or two of the {Rounds} written; the database file holds {log.Length:N0} bytes");
    }

    private Task<GetIngestStatsResponse> SettledStatsAsync(long? stored) => IngestStats.SettledAsync(_analyst, stored);

    private async Task<Incident[]> IncidentsOfAsync(string stakeholder)
    {
        var list = await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = stakeholder });
        return await Task.WhenAll(list.Incidents.Select(async s =>
            (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = s.TrackingId })).Incident));
    }

    private async Task CreateAsync(string id, string[] prefixes, uint[] asns, string[] domains)
    {
        var stakeholder = TestStakeholders.NewStakeholder("DIGITAL_INFRASTRUCTURE");
        stakeholder.Id = id;
        stakeholder.Constituency = new Constituency { IpPrefixes = { prefixes }, Asns = { asns }, Domains = { domains } };
        await _server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder });
    }
}
