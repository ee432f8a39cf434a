using Cirt.Contracts.V1;
using Cirt.Server.Tests.Ingest;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Cirt.Server.Tests.Feeds;

/// <summary>
/// Publishing automated events is a capability granted per key and per feed: through a real server,
/// what a feed may say, about whom, how much, and what an automated incident says about its sources.
/// The seeded stakeholders hold gridco (198.51.100.0/25) and firstbank (198.51.100.128/25).
/// </summary>
public sealed class FeedTrustTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();
    private IngestService.IngestServiceClient _analyst = null!;
    private string _firstbankOperator = "";

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _analyst = _server.Ingest(_server.AnalystKey);
        _firstbankOperator = await _server.IssueKeyAsync("fnb-soc", Role.Operator, "firstbank");
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task GridcosSensorCannotFillFirstbanksQueueWithFabricatedIncidents()
    {
        await _server.GrantFeedAsync("gridco-ids", _server.GridcoKey, OwnedBy("gridco"));
        // Five c2-server events about First National Bank's prefix, and one about GridCo's own.
        var events = Enumerable.Range(1, 5).Select(i => C2Server($"198.51.100.{128 + i}", "gridco-ids")).Append(C2Server("198.51.100.7", "gridco-ids")).ToArray();

        var ack = await PublishAsync(_server.GridcoKey, events);

        Assert.Equal(1, ack.AcceptedCount);
        Assert.Equal([0, 1, 2, 3, 4], ack.Rejected.Select(r => r.Index));
        Assert.All(ack.Rejected, r =>
        {
            Assert.Equal("source_ip", r.Field);
            Assert.Contains("constituency of firstbank", r.Reason, StringComparison.Ordinal);
            Assert.Contains("ORGANISATION feed and may only report about gridco", r.Reason, StringComparison.Ordinal);
        });
        var stats = await IngestStats.SettledAsync(_analyst, stored: 1);
        Assert.Equal(5, stats.Feeds.Single(f => f.Feed == "gridco-ids").Rejected);
        Assert.Empty((await _server.Incidents(_firstbankOperator).ListIncidentsAsync(new ListIncidentsRequest())).Incidents);
        Assert.Empty((await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = "firstbank" })).Incidents);
        var own = await IncidentOfAsync("gridco");
        Assert.Equal("", own.ReporterStakeholderId);
        Assert.Equal([("gridco-ids", "gridco-soc@gridco", 1L)], own.AutomatedSources.Select(s => (s.Feed, s.Producer, s.Events)));
    }

    [Fact]
    public async Task AFeedNotRegisteredOrNotGrantedToTheKeyIsRefusedByIndex()
    {
        await _server.GrantFeedAsync("national-sinkhole", _server.AnalystKey);

        var ack = await PublishAsync(_server.GridcoKey, C2Server("198.51.100.130", "made-up-feed"), C2Server("198.51.100.131", "national-sinkhole"));

        Assert.Equal(0, ack.AcceptedCount);
        Assert.Equal([(0, "feed"), (1, "feed")], ack.Rejected.Select(r => (r.Index, r.Field)));
        Assert.Contains("'made-up-feed' is not a registered feed", ack.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains("feed 'national-sinkhole' is not granted to this key", ack.Rejected[1].Reason, StringComparison.Ordinal);
        // Refusals count per feed once the batch (of no stored event) is aggregated; made-up names count together.
        var stats = await Eventually.ReadAsync(
            () => _analyst.GetIngestStatsAsync(new GetIngestStatsRequest()).ResponseAsync,
            s => s.Total.Rejected == 2,
            "The two refusals were not counted.");
        Assert.Equal(1, stats.Feeds.Single(f => f.Feed == "(unregistered)").Rejected);
        Assert.Equal(1, stats.Feeds.Single(f => f.Feed == "national-sinkhole").Rejected);
        Assert.DoesNotContain(stats.Feeds, f => f.Feed == "made-up-feed");
        Assert.Empty((await _server.Incidents(_firstbankOperator).ListIncidentsAsync(new ListIncidentsRequest())).Incidents);
    }

    [Fact]
    public async Task ANationalFeedReportsAboutAnyoneAndTheIncidentNamesItsSourcesNotAReporter()
    {
        var sensor = await _server.IssueKeyAsync("sinkhole", Role.Analyst);
        await _server.GrantFeedAsync("national-sinkhole", sensor);
        await _server.GrantFeedAsync("national-sinkhole", _server.GridcoKey);

        var first = await PublishAsync(sensor, C2Server("198.51.100.140", "national-sinkhole"), C2Server("198.51.100.141", "national-sinkhole"), C2Server("198.51.100.8", "national-sinkhole"));
        await IngestStats.SettledAsync(_analyst, stored: 3);
        var second = await PublishAsync(_server.GridcoKey, C2Server("198.51.100.142", "national-sinkhole"));
        await IngestStats.SettledAsync(_analyst, stored: 4);

        Assert.Equal((3, 1), (first.AcceptedCount, second.AcceptedCount));
        var incident = await IncidentOfAsync("firstbank");
        Assert.Equal("", incident.ReporterStakeholderId);
        Assert.Equal(["firstbank"], incident.AffectedStakeholderIds);
        Assert.Equal(3, incident.EventCount);
        // Counted across passes, per feed and producing key, the largest first.
        Assert.Equal([("national-sinkhole", "sinkhole", 2L), ("national-sinkhole", "gridco-soc@gridco", 1L)],
            incident.AutomatedSources.Select(s => (s.Feed, s.Producer, s.Events)));
        // The organisation the events are about sees the incident and who said what.
        var seen = (await _server.Incidents(_firstbankOperator).GetIncidentAsync(new GetIncidentRequest { TrackingId = incident.TrackingId })).Incident;
        Assert.Equal(2, seen.AutomatedSources.Count);
        Assert.Equal(1, (await IncidentOfAsync("gridco")).EventCount);
    }

    [Fact]
    public async Task WideningAnOrganisationFeedLetsItReportAboutTheNamedStakeholder()
    {
        var feed = (await _server.Feeds().RegisterFeedAsync(new RegisterFeedRequest { Name = "gridco-ids", Settings = OwnedBy("gridco") })).Feed;
        await _server.GrantFeedAsync("gridco-ids", _server.GridcoKey);
        Assert.Single((await PublishAsync(_server.GridcoKey, C2Server("198.51.100.150", "gridco-ids"))).Rejected);

        var widened = OwnedBy("gridco");
        widened.WidenedStakeholderIds.Add("firstbank");
        await RpcAssert.FailsWith(StatusCode.Aborted, () => _server.Feeds().UpdateFeedAsync(new UpdateFeedRequest { Name = "gridco-ids", Settings = widened, ExpectedVersion = feed.Version }).ResponseAsync);
        var current = (await _server.Feeds().GetFeedAsync(new GetFeedRequest { Name = "gridco-ids" })).Feed;
        var updated = (await _server.Feeds().UpdateFeedAsync(new UpdateFeedRequest { Name = "gridco-ids", Settings = widened, ExpectedVersion = current.Version })).Feed;
        Assert.Equal(["firstbank"], updated.WidenedStakeholderIds);

        var ack = await PublishAsync(_server.GridcoKey, C2Server("198.51.100.151", "gridco-ids"), C2Server("198.18.0.9", "gridco-ids"));
        Assert.Equal(1, ack.AcceptedCount);
        // An address nobody's constituency holds is about no one an ORGANISATION feed may report about.
        var refused = Assert.Single(ack.Rejected);
        Assert.Equal((1, "source_ip"), (refused.Index, refused.Field));
        Assert.Contains("in no stakeholder's constituency", refused.Reason, StringComparison.Ordinal);
        await IngestStats.SettledAsync(_analyst, stored: 1);
        Assert.Equal(1, (await IncidentOfAsync("firstbank")).EventCount);
    }

    [Fact]
    public async Task ASuspendedFeedIsRefusedFromTheNextBatchUntilResumed()
    {
        await _server.GrantFeedAsync("national-sinkhole", _server.AnalystKey);
        Assert.Equal(1, (await PublishAsync(_server.AnalystKey, C2Server("198.51.100.160", "national-sinkhole"))).AcceptedCount);

        var suspended = (await _server.Feeds().SuspendFeedAsync(new SuspendFeedRequest { Name = "national-sinkhole", Reason = "Sinkhole operator reports false positives" })).Feed;
        Assert.True(suspended.Suspended);
        var ack = await PublishAsync(_server.AnalystKey, C2Server("198.51.100.161", "national-sinkhole"), C2Server("198.51.100.162", "national-sinkhole"));
        Assert.Equal(0, ack.AcceptedCount);
        Assert.All(ack.Rejected, r => Assert.Contains("feed 'national-sinkhole' is suspended: Sinkhole operator reports false positives", r.Reason, StringComparison.Ordinal));

        await _server.Feeds().ResumeFeedAsync(new ResumeFeedRequest { Name = "national-sinkhole" });
        Assert.Equal(1, (await PublishAsync(_server.AnalystKey, C2Server("198.51.100.163", "national-sinkhole"))).AcceptedCount);
        await IngestStats.SettledAsync(_analyst, stored: 2);
        var shown = await _server.Feeds().GetFeedAsync(new GetFeedRequest { Name = "national-sinkhole" });
        Assert.Equal((2L, 2L), (shown.Stats.Stored, shown.Stats.Rejected));
        Assert.False(shown.Feed.Suspended);
    }

    [Fact]
    public async Task TheQuotaRefusesTheExcessByIndexAndSaysResendingLaterIsFine()
    {
        var settings = new FeedSettings { Trust = FeedTrust.National, QuotaPerMinute = 3 };
        await _server.GrantFeedAsync("small-feed", _server.AnalystKey, settings);

        var ack = await PublishAsync(_server.AnalystKey, Enumerable.Range(0, 5).Select(i => C2Server($"198.51.100.{170 + i}", "small-feed")).ToArray());

        Assert.Equal(3, ack.AcceptedCount);
        Assert.Equal([3, 4], ack.Rejected.Select(r => r.Index));
        Assert.All(ack.Rejected, r =>
        {
            Assert.Equal("feed", r.Field);
            Assert.Contains("used its quota of 3 events this minute", r.Reason, StringComparison.Ordinal);
            Assert.Contains("resending it in the next minute is fine", r.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RevokingAGrantRefusesTheKeysNextEvents()
    {
        var keyId = await _server.GrantFeedAsync("national-sinkhole", _server.AnalystKey);
        Assert.Equal(1, (await PublishAsync(_server.AnalystKey, C2Server("198.51.100.180", "national-sinkhole"))).AcceptedCount);

        var feed = (await _server.Feeds().RevokeFeedGrantAsync(new RevokeFeedGrantRequest { Name = "national-sinkhole", KeyId = keyId })).Feed;

        Assert.Empty(feed.Grants);
        var refused = Assert.Single((await PublishAsync(_server.AnalystKey, C2Server("198.51.100.181", "national-sinkhole"))).Rejected);
        Assert.Contains("not granted to this key", refused.Reason, StringComparison.Ordinal);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => _server.Feeds().RevokeFeedGrantAsync(new RevokeFeedGrantRequest { Name = "national-sinkhole", KeyId = keyId }).ResponseAsync);
    }

    [Fact]
    public async Task TheRegistryRefusesBadRequestsWithPreciseStatuses()
    {
        var feeds = _server.Feeds();
        Assert.Equal(["name", "settings.trust", "settings.quota_per_minute"], await RpcAssert.InvalidFields(() => feeds.RegisterFeedAsync(new RegisterFeedRequest
        {
            Name = new string('x', 101), Settings = new FeedSettings { QuotaPerMinute = -1 },
        }).ResponseAsync));
        Assert.Equal(["settings.owner_stakeholder_id"], await RpcAssert.InvalidFields(() => feeds.RegisterFeedAsync(new RegisterFeedRequest
        {
            Name = "orphan", Settings = new FeedSettings { Trust = FeedTrust.Organisation },
        }).ResponseAsync));
        Assert.Equal(["settings.widened_stakeholder_ids"], await RpcAssert.InvalidFields(() => feeds.RegisterFeedAsync(new RegisterFeedRequest
        {
            Name = "wide", Settings = new FeedSettings { Trust = FeedTrust.National, WidenedStakeholderIds = { "firstbank" } },
        }).ResponseAsync));
        await RpcAssert.FailsWith(StatusCode.NotFound, () => feeds.RegisterFeedAsync(new RegisterFeedRequest { Name = "ghost-ids", Settings = OwnedBy("ghost-co") }).ResponseAsync);
        await feeds.RegisterFeedAsync(new RegisterFeedRequest { Name = "gridco-ids", Settings = OwnedBy("gridco") });
        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => feeds.RegisterFeedAsync(new RegisterFeedRequest { Name = "gridco-ids", Settings = OwnedBy("gridco") }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => feeds.GetFeedAsync(new GetFeedRequest { Name = "unknown" }).ResponseAsync);
        Assert.Equal(["key_id"], await RpcAssert.InvalidFields(() => feeds.GrantFeedAsync(new GrantFeedRequest { Name = "gridco-ids", KeyId = "nope" }).ResponseAsync));
        Assert.Equal(["reason"], await RpcAssert.InvalidFields(() => feeds.SuspendFeedAsync(new SuspendFeedRequest { Name = "gridco-ids" }).ResponseAsync));

        // An ORGANISATION feed goes to its owner's keys and to CIRT staff, never to another organisation's.
        var refusal = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, async () => await feeds.GrantFeedAsync(new GrantFeedRequest
        {
            Name = "gridco-ids", KeyId = await _server.KeyIdAsync(_firstbankOperator),
        }));
        Assert.Contains("ORGANISATION feed of gridco", refusal.Status.Detail, StringComparison.Ordinal);
        var staff = await feeds.GrantFeedAsync(new GrantFeedRequest { Name = "gridco-ids", KeyId = await _server.KeyIdAsync(_server.AnalystKey) });
        Assert.Equal(["alice"], staff.Feed.Grants.Select(g => g.KeyName));
        // Making it firstbank's while gridco's operator holds a grant would let gridco speak for firstbank: refused.
        await feeds.GrantFeedAsync(new GrantFeedRequest { Name = "gridco-ids", KeyId = await _server.KeyIdAsync(_server.GridcoKey) });
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => feeds.UpdateFeedAsync(new UpdateFeedRequest { Name = "gridco-ids", Settings = OwnedBy("firstbank") }).ResponseAsync);
    }

    private static FeedSettings OwnedBy(string stakeholderId) => new() { Trust = FeedTrust.Organisation, OwnerStakeholderId = stakeholderId, Description = "IDS of " + stakeholderId };

    private static Event C2Server(string sourceIp, string feed) => new()
    {
        ProducerEventId = Guid.NewGuid().ToString("N"),
        Feed = feed,
        RsitClass = "malicious-code",
        RsitType = "c2-server",
        ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)),
        SourceIp = sourceIp,
    };

    private async Task<BatchAck> PublishAsync(string apiKey, params Event[] events) =>
        (await _server.Ingest(apiKey).PublishAsync(new PublishRequest { Batch = Events.Batch(events) })).Ack;

    private async Task<Incident> IncidentOfAsync(string stakeholderId)
    {
        var list = await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = stakeholderId });
        var summary = Assert.Single(list.Incidents, i => i.RsitType == "c2-server");
        return (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = summary.TrackingId })).Incident;
    }
}
