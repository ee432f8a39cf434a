using Cirt.Contracts.V1;
using Cirt.Server.Ingest;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cirt.Server.Tests.Ingest;

/// <summary>
/// Automated incidents through the real server: dated by what their events saw (aware and reported
/// when the earliest event was observed, sorted by it, moved earlier and never later), given a
/// severity from the RSIT table unless the event or its feed names one, and aggregated in passes
/// that GetIngestStats shows while they run and that log one line each.
/// </summary>
public sealed class AutomatedIncidentTests : IAsyncLifetime
{
    private const string Stakeholder = "net-dated";
    private const string Feed = "dated-feed";
    private const string SevereFeed = "severe-feed";

    private readonly LogCapture _log = new();
    private readonly ServerFixture _server = new()
    {
        // The pass summary at Information, and the grains' lines too: a line per incident there would show.
        ExtraArguments = ["--Logging:LogLevel:Cirt.Server.Ingest", "Information", "--Logging:LogLevel:Cirt.Grains", "Information"],
    };

    private IngestService.IngestServiceClient _sensor = null!;
    private IngestService.IngestServiceClient _analyst = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _server.Services.GetRequiredService<ILoggerFactory>().AddProvider(_log);
        var stakeholder = TestStakeholders.NewStakeholder("ENERGY"); // an essential entity: still no NIS2 clock on what its sensors saw
        stakeholder.Id = Stakeholder;
        stakeholder.Constituency = new Constituency { IpPrefixes = { "100.70.0.0/16" } };
        await _server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder });
        var sensorKey = await _server.IssueKeyAsync("dating-sensor", Role.Operator, "gridco");
        await _server.GrantFeedAsync(Feed, sensorKey);
        await _server.GrantFeedAsync(SevereFeed, sensorKey, new FeedSettings { Trust = FeedTrust.National, Severity = Severity.Critical });
        _sensor = new IngestService.IngestServiceClient(_server.Invoker(sensorKey));
        _analyst = new IngestService.IngestServiceClient(_server.Invoker(_server.AnalystKey));
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task EventsObservedFiveDaysAgoMakeAnIncidentAwareFiveDaysAgoThatSortsByThatDay()
    {
        var now = DateTimeOffset.UtcNow;
        var fiveDaysAgo = Observed(5, 9);
        await PublishAsync(Event("malicious-code", "infected-system", "100.70.0.1", fiveDaysAgo));
        await PublishAsync(Event("information-gathering", "scanner", "100.70.0.2", Observed(2, 9)));
        await PublishAsync(Event("availability", "outage", "100.70.0.3", now.AddMinutes(-5)));
        await IngestStats.SettledAsync(_analyst, stored: 3);

        var infected = await IncidentOfAsync("infected-system");
        Assert.Equal((fiveDaysAgo, fiveDaysAgo), (infected.AwareAt.ToDateTimeOffset(), infected.ReportedAt.ToDateTimeOffset()));
        Assert.Empty(infected.Deadlines); // nobody reported it: no NIS2 clock runs, although the stakeholder is an essential entity
        var aggregated = Assert.Single(infected.Timeline, e => e.Kind == "events");
        Assert.StartsWith($"Aggregated from 1 event(s) of feeds {Feed} at ", aggregated.Summary);
        Assert.True(aggregated.At.ToDateTimeOffset() >= now.AddMinutes(-1), "the timeline says when it was aggregated: today, not five days ago");
        // Newest first by when they were observed, however close together they were aggregated.
        var listed = await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = Stakeholder, Order = IncidentOrder.NewestFirst });
        Assert.Equal(["outage", "scanner", "infected-system"], listed.Incidents.Select(i => i.RsitType));
        Assert.Equal(fiveDaysAgo, listed.Incidents[2].ReportedAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task ALaterPassWithAnEarlierEventMovesAwareAtEarlierAndNeverLater()
    {
        await PublishAsync(Event("intrusion-attempts", "brute-force", "100.70.1.1", Observed(3, 12)));
        await IngestStats.SettledAsync(_analyst, stored: 1);
        Assert.Equal(Observed(3, 12), (await IncidentOfAsync("brute-force")).AwareAt.ToDateTimeOffset());

        await PublishAsync(Event("intrusion-attempts", "brute-force", "100.70.1.2", Observed(3, 8)));
        await IngestStats.SettledAsync(_analyst, stored: 2);
        Assert.Equal(Observed(3, 8), (await IncidentOfAsync("brute-force")).AwareAt.ToDateTimeOffset());

        await PublishAsync(Event("intrusion-attempts", "brute-force", "100.70.1.3", Observed(3, 20)));
        await IngestStats.SettledAsync(_analyst, stored: 3);
        var incident = await IncidentOfAsync("brute-force");
        Assert.Equal((3L, Observed(3, 8), Observed(3, 8)), (incident.EventCount, incident.AwareAt.ToDateTimeOffset(), incident.ReportedAt.ToDateTimeOffset()));
    }

    [Fact]
    public async Task SeverityComesFromTheRsitTableUnlessTheFeedOrTheEventNamesOne()
    {
        var named = Event("abusive-content", "spam", "100.70.2.3", Observed(1, 10), SevereFeed);
        named.Severity = Severity.Medium;
        await PublishAsync(
            Event("malicious-code", "c2-server", "100.70.2.1", Observed(1, 10)),
            Event("information-gathering", "scanner", "100.70.2.2", Observed(1, 10)),
            Event("information-gathering", "scanner", "100.70.2.2", Observed(2, 10), SevereFeed),
            named);
        await IngestStats.SettledAsync(_analyst, stored: 4);

        var listed = await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = Stakeholder, Order = IncidentOrder.MostSevereFirst });
        Assert.Equal(
            [("scanner", Severity.Critical), ("c2-server", Severity.High), ("spam", Severity.Medium), ("scanner", Severity.Low)],
            listed.Incidents.Select(i => (i.RsitType, i.ReportedSeverity)));
        // The derived severity is a claim, as a reporter's is: the CIRT's own is set at triage.
        Assert.All(listed.Incidents, i => Assert.Equal(Severity.Unspecified, i.Severity));

        // A stricter event later raises it; a milder one does not lower it.
        var raised = Event("malicious-code", "c2-server", "100.70.2.4", Observed(1, 11));
        raised.Severity = Severity.Critical;
        var milder = Event("malicious-code", "c2-server", "100.70.2.5", Observed(1, 12));
        milder.Severity = Severity.Low;
        await PublishAsync(raised, milder);
        await IngestStats.SettledAsync(_analyst, stored: 6);
        Assert.Equal(Severity.Critical, (await IncidentOfAsync("c2-server")).ReportedSeverity);
    }

    [Fact]
    public async Task AnEventWithAnUnknownSeverityIsRefusedByIndex()
    {
        var bad = Event("malicious-code", "c2-server", "100.70.3.1", Observed(1, 10));
        bad.Severity = (Severity)9;

        var ack = (await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(Event("malicious-code", "c2-server", "100.70.3.2", Observed(1, 10)), bad) })).Ack;

        Assert.Equal(1, ack.AcceptedCount);
        var refused = Assert.Single(ack.Rejected);
        Assert.Equal((1, "severity"), (refused.Index, refused.Field));
    }

    [Fact]
    public async Task AFeedsSeverityMustBeASeverity()
    {
        var invalid = await RpcAssert.InvalidFields(() => _server.Feeds().RegisterFeedAsync(new RegisterFeedRequest
        {
            Name = "odd-feed",
            Settings = new FeedSettings { Trust = FeedTrust.National, Severity = (Severity)7 },
        }).ResponseAsync);

        Assert.Equal(["settings.severity"], invalid);
    }

    [Fact]
    public async Task GetIngestStatsShowsThePassWhileItWritesItsIncidentsAndThePassLogsOneLine()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Services.GetRequiredService<IngestAggregator>().BeforeIncidentWrite = (aggregate, token) =>
            aggregate.RsitType == "ddos" ? gate.Task.WaitAsync(token) : Task.CompletedTask;
        var before = await _analyst.GetIngestStatsAsync(new GetIngestStatsRequest());
        Assert.False(before.PassInProgress);

        await PublishAsync(
            Event("availability", "ddos", "100.70.4.1", Observed(1, 10)),
            Event("availability", "dos", "100.70.4.2", Observed(1, 10)),
            Event("availability", "outage", "100.70.4.3", Observed(1, 10)),
            Event("availability", "outage", "100.70.4.4", Observed(1, 11)));

        // Two of its three incidents written, the third held: the stats say so, and the events are still backlog.
        var during = await Eventually.ReadAsync(
            () => _analyst.GetIngestStatsAsync(new GetIngestStatsRequest()).ResponseAsync,
            s => s is { PassInProgress: true, PassAggregatesApplied: 2 },
            "GetIngestStats never showed the pass with two of its incidents written");
        Assert.Equal((4L, 3L, 4L, 0L), (during.PassEvents, during.PassAggregatesTotal, during.Backlog, during.Total.Stored));
        Assert.True(during.PassStartedAt.ToDateTimeOffset() <= DateTimeOffset.UtcNow);

        gate.SetResult();
        var after = await IngestStats.SettledAsync(_analyst, stored: 4);
        Assert.False(after.PassInProgress);
        Assert.Equal((0L, 0L), (after.PassAggregatesTotal, after.Backlog));

        var summary = Assert.Single(_log.Lines, l => l.Category == typeof(IngestAggregator).FullName && l.Level == LogLevel.Information && l.Message.StartsWith("Ingest pass", StringComparison.Ordinal));
        Assert.Equal((4L, 3L, 0L), ((long)summary.Values["Events"]!, (long)summary.Values["IncidentsOpened"]!, (long)summary.Values["IncidentsUpdated"]!));
        Assert.DoesNotContain(_log.Lines, l => l.Level >= LogLevel.Information && l.Message.Contains("opened from automated events", StringComparison.Ordinal));
    }

    /// <summary><paramref name="daysAgo"/> days before today (UTC), at <paramref name="hour"/>:00.</summary>
    private static DateTimeOffset Observed(int daysAgo, int hour) => new DateTimeOffset(DateTime.UtcNow.Date).AddDays(-daysAgo).AddHours(hour);

    private static Event Event(string rsitClass, string rsitType, string sourceIp, DateTimeOffset observedAt, string feed = Feed) => new()
    {
        ProducerEventId = Guid.NewGuid().ToString("N"),
        Feed = feed,
        RsitClass = rsitClass,
        RsitType = rsitType,
        ObservedAt = Timestamp.FromDateTimeOffset(observedAt),
        SourceIp = sourceIp,
    };

    private async Task PublishAsync(params Event[] events)
    {
        var ack = (await _sensor.PublishAsync(new PublishRequest { Batch = Events.Batch(events) })).Ack;
        Assert.Equal(events.Length, ack.AcceptedCount);
    }

    private async Task<Incident> IncidentOfAsync(string rsitType)
    {
        var list = await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = Stakeholder });
        var summary = Assert.Single(list.Incidents, i => i.RsitType == rsitType);
        return (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = summary.TrackingId })).Incident;
    }
}
