using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Ingest;

/// <summary>
/// An incident opened from automated events carries the most restrictive TLP of its events (an
/// event without one counts as AMBER), and who sees it follows from that label as for any incident.
/// </summary>
public sealed class IngestTlpTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();
    private IngestService.IngestServiceClient _sensor = null!;
    private IngestService.IngestServiceClient _analyst = null!;
    private string _operatorOfA = "";
    private string _operatorOfB = "";

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

        // gridco's sensor reports about net-a: a NATIONAL feed lets it.
        var sensorKey = await _server.IssueKeyAsync("sensor", Role.Operator, "gridco");
        foreach (var feed in new[] { "honeypot-1", "scan-feed", "honeypot-ssh" })
        {
            await _server.GrantFeedAsync(feed, sensorKey);
        }

        _sensor = new IngestService.IngestServiceClient(_server.Invoker(sensorKey));
        _analyst = new IngestService.IngestServiceClient(_server.Invoker(_server.AnalystKey));
        _operatorOfA = await _server.IssueKeyAsync("soc-a", Role.Operator, "net-a");
        _operatorOfB = await _server.IssueKeyAsync("soc-b", Role.Operator, "net-b");
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task EventsLabelledRedMakeARedIncidentThatNoAffectedOrganisationSees()
    {
        await PublishAsync(Labelled(Events.Infected("100.64.1.1"), Tlp.Red), Labelled(Events.Infected("100.64.1.2"), Tlp.Red), Events.Infected("100.64.1.3"));
        await PublishAsync(Scanning("100.64.2.1"), Scanning("100.64.2.2"));
        await IngestStats.SettledAsync(_analyst, stored: 5);

        var red = await IncidentOfAsync("infected-system");
        var amber = await IncidentOfAsync("scanner");
        Assert.Equal(Tlp.Red, red.Tlp);
        Assert.Equal(Tlp.Amber, amber.Tlp); // events without a label count as AMBER
        foreach (var incident in new[] { red, amber })
        {
            await _server.Incidents().AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest { TrackingId = incident.TrackingId, StakeholderIds = { "net-b" } });
        }

        // Nobody at net-a reported them (a feed did): net-a is affected, which at AMBER is enough and at
        // RED is not; the feed's sender named the CIRT, not net-a, as the recipient.
        Assert.Empty(red.ReporterStakeholderId);
        Assert.Equal(amber.TrackingId, (await _server.Incidents(_operatorOfA).GetIncidentAsync(new GetIncidentRequest { TrackingId = amber.TrackingId })).Incident.TrackingId);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => _server.Incidents(_operatorOfA).GetIncidentAsync(new GetIncidentRequest { TrackingId = red.TrackingId }).ResponseAsync);
        // net-b is affected by both: at AMBER it sees the incident, at RED it does not.
        Assert.Equal(amber.TrackingId, (await _server.Incidents(_operatorOfB).GetIncidentAsync(new GetIncidentRequest { TrackingId = amber.TrackingId })).Incident.TrackingId);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => _server.Incidents(_operatorOfB).GetIncidentAsync(new GetIncidentRequest { TrackingId = red.TrackingId }).ResponseAsync);
        var listedForB = await _server.Incidents(_operatorOfB).ListIncidentsAsync(new ListIncidentsRequest());
        Assert.Equal([amber.TrackingId], listedForB.Incidents.Select(i => i.TrackingId));
    }

    [Fact]
    public async Task AMoreRestrictiveEventLaterRaisesTheIncidentsTlpAndALessRestrictiveOneDoesNotLowerIt()
    {
        await PublishAsync(Labelled(BruteForce("100.64.3.1"), Tlp.Green), Labelled(BruteForce("100.64.3.2"), Tlp.Clear));
        await IngestStats.SettledAsync(_analyst, stored: 2);
        var green = await IncidentOfAsync("brute-force");
        Assert.Equal(Tlp.Green, green.Tlp);

        await PublishAsync(Labelled(BruteForce("100.64.3.3"), Tlp.AmberStrict));
        await IngestStats.SettledAsync(_analyst, stored: 3);
        await PublishAsync(Labelled(BruteForce("100.64.3.4"), Tlp.Clear));
        await IngestStats.SettledAsync(_analyst, stored: 4);

        var raised = await IncidentOfAsync("brute-force");
        Assert.Equal(green.TrackingId, raised.TrackingId);
        Assert.Equal(4, raised.EventCount);
        Assert.Equal(Tlp.AmberStrict, raised.Tlp);
    }

    private static Event Labelled(Event e, Tlp tlp)
    {
        e.Tlp = tlp;
        return e;
    }

    private static Event Scanning(string sourceIp)
    {
        var e = Events.Infected(sourceIp, feed: "scan-feed");
        (e.RsitClass, e.RsitType, e.MalwareFamily) = ("information-gathering", "scanner", "");
        return e;
    }

    private static Event BruteForce(string sourceIp)
    {
        var e = Events.Infected(sourceIp, feed: "honeypot-ssh");
        (e.RsitClass, e.RsitType, e.MalwareFamily) = ("intrusion-attempts", "brute-force", "");
        return e;
    }

    private async Task PublishAsync(params Event[] events)
    {
        var ack = (await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(events) })).Ack;
        Assert.Equal(events.Length, ack.AcceptedCount);
    }

    private async Task<Incident> IncidentOfAsync(string rsitType)
    {
        var list = await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = "net-a" });
        var summary = Assert.Single(list.Incidents, i => i.RsitType == rsitType);
        return (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = summary.TrackingId })).Incident;
    }
}
