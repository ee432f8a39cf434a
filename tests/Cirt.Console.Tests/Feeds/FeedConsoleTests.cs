using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Cirt.Console.Tests.Feeds;

/// <summary>
/// A coordinator registers feeds, grants and revokes keys, widens, suspends and resumes them from
/// the console; an operator reads in an automated incident which feed and key said what. Against a
/// real server in this process (memory profile, loopback, the seeded stakeholders).
/// </summary>
public sealed class FeedConsoleTests : IAsyncLifetime
{
    private ConsoleServer _server = null!;

    public async Task InitializeAsync() =>
        // Aggregation passes every 200 ms rather than every 10 s: the incident test waits for one.
        _server = await ConsoleServer.StartAsync("--Cirt:Ingest:AggregationFlushInterval", "00:00:00.2");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ACoordinatorRegistersGrantsWidensSuspendsAndRevokesAFeed()
    {
        var (registerExit, registered) = await RunAsync("feeds", "register", "gridco-ids", "--trust", "organisation", "--owner", "gridco",
            "--quota", "600", "--description", "GridCo's IDS at the substations");
        var operatorKey = await IssueKeyAsync("ids-sensor", Role.Operator, "gridco");
        var (grantExit, granted) = await RunAsync("feeds", "grant", "gridco-ids", "--key-id", operatorKey.KeyId);
        var (updateExit, updated) = await RunAsync("feeds", "update", "gridco-ids", "--widen", "firstbank");
        var (suspendExit, suspended) = await RunAsync("feeds", "suspend", "gridco-ids", "--reason", "Sensor sends test traffic");
        var (_, shownSuspended) = await RunAsync("feeds", "show", "gridco-ids");
        var (resumeExit, _) = await RunAsync("feeds", "resume", "gridco-ids");
        var (_, list) = await RunAsync("feeds", "list");

        Assert.Equal((0, 0, 0, 0, 0), (registerExit, grantExit, updateExit, suspendExit, resumeExit));
        Assert.Contains("Registered feed gridco-ids (organisation of gridco: may report about those only)", registered);
        Assert.Contains($"Key {operatorKey.KeyId} (ids-sensor@gridco) may publish feed gridco-ids", granted);
        Assert.Contains("organisation of gridco (widened to firstbank)", updated);
        Assert.Contains("refused from the next batch on", suspended);
        Assert.Contains("suspended: Sensor sends test traffic", shownSuspended);
        Assert.Contains(operatorKey.KeyId, shownSuspended);
        Assert.Contains("600 events/min", shownSuspended);
        Assert.Contains("gridco-ids", list);
        Assert.Contains("active", list);

        var (revokeExit, revoked) = await RunAsync("feeds", "revoke", "gridco-ids", "--key-id", operatorKey.KeyId);
        var (_, shownRevoked) = await RunAsync("feeds", "show", "gridco-ids");
        Assert.Equal(0, revokeExit);
        Assert.Contains("may no longer publish feed gridco-ids", revoked);
        Assert.Contains("None: every event of this feed is refused", shownRevoked);
    }

    [Fact]
    public async Task AFeedsSeverityIsSetShownAndKeptWhenOtherSettingsChange()
    {
        var (registerExit, _) = await RunAsync("feeds", "register", "c2-tracker", "--trust", "national", "--severity", "high");
        var (updateExit, _) = await RunAsync("feeds", "update", "c2-tracker", "--quota", "1000");
        var (_, shown) = await RunAsync("feeds", "show", "c2-tracker");
        var (badExit, bad) = await RunAsync("feeds", "update", "c2-tracker", "--severity", "dire");

        Assert.Equal((0, 0), (registerExit, updateExit));
        Assert.Matches(@"Severity\s+high", shown);
        Assert.Contains("1,000 events/min", shown);
        Assert.NotEqual(0, badExit);
        Assert.Contains("dire", bad);
    }

    [Fact]
    public async Task MistakesAreNamedNotGuessed()
    {
        var (noTrustExit, noTrust) = await RunAsync("feeds", "register", "sensor-x");
        var (badTrustExit, badTrust) = await RunAsync("feeds", "register", "sensor-x", "--trust", "total");
        var (orphanExit, orphan) = await RunAsync("feeds", "register", "sensor-x", "--trust", "organisation");
        var (unknownExit, unknown) = await RunAsync("feeds", "show", "sensor-x");

        Assert.All(new[] { noTrustExit, badTrustExit, orphanExit, unknownExit }, code => Assert.NotEqual(0, code));
        Assert.Contains("--trust", noTrust);
        Assert.Contains("--trust 'total': give national or organisation", badTrust);
        Assert.Contains("settings.owner_stakeholder_id", orphan);
        Assert.Contains("sensor-x", unknown);
    }

    [Fact]
    public async Task AnAutomatedIncidentShowsWhichFeedAndKeySaidWhatAndNoReporter()
    {
        var sensor = await IssueKeyAsync("sinkhole", Role.Analyst);
        await RunAsync("feeds", "register", "national-sinkhole", "--trust", "national");
        await RunAsync("feeds", "grant", "national-sinkhole", "--key-id", sensor.KeyId);
        var ingest = new IngestService.IngestServiceClient(_server.Invoker(sensor.ApiKey));
        var batch = new EventBatch { BatchId = "b1" };
        batch.Events.Add(C2Server("198.51.100.140"));
        batch.Events.Add(C2Server("198.51.100.141"));
        Assert.Equal(2, (await ingest.PublishAsync(new PublishRequest { Batch = batch })).Ack.AcceptedCount);

        var incidents = new IncidentService.IncidentServiceClient(_server.Invoker(_server.CoordinatorKey));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IncidentSummary? aggregated;
        while ((aggregated = (await incidents.ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = "firstbank" })).Incidents.SingleOrDefault(i => i.RsitType == "c2-server")) is null
               || (await incidents.GetIncidentAsync(new GetIncidentRequest { TrackingId = aggregated.TrackingId })).Incident.EventCount < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the events were not aggregated into firstbank's incident");
            await Task.Delay(50);
        }

        var firstbank = await IssueKeyAsync("fnb-soc", Role.Operator, "firstbank");
        var (exitCode, shown) = await _server.RunAsync(firstbank.ApiKey, "incidents", "show", aggregated.TrackingId);

        Assert.Equal(0, exitCode);
        Assert.Contains("none: aggregated from automated events", shown);
        Assert.Contains("national-sinkhole from sinkhole: 2 event(s)", shown);
    }

    private static Event C2Server(string sourceIp) => new()
    {
        ProducerEventId = Guid.NewGuid().ToString("N"),
        Feed = "national-sinkhole",
        RsitClass = "malicious-code",
        RsitType = "c2-server",
        ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)),
        SourceIp = sourceIp,
    };

    private async Task<(string KeyId, string ApiKey)> IssueKeyAsync(string name, Role role, string stakeholderId = "")
    {
        var issued = await new KeyService.KeyServiceClient(_server.Invoker(_server.CoordinatorKey))
            .IssueKeyAsync(new IssueKeyRequest { Name = name, Role = role, StakeholderId = stakeholderId });
        return (issued.Key.KeyId, issued.ApiKey);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => _server.RunAsync(_server.CoordinatorKey, args);
}
