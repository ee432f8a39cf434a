using System.Net;
using System.Text.Json.Nodes;
using Cirt.Contracts.V1;
using Cirt.Server.Tests.Ingest;

namespace Cirt.Server.Tests.IntelMq;

/// <summary>
/// IntelMQ's events on the HTTP endpoint, through the ingest path: one event, an array, NDJSON; each
/// stored and counted once, a resend not again; unknown keys kept; a bad event, an ungranted feed or
/// a missing key refused and nothing of the request stored.
/// </summary>
public sealed class IntelMqEndpointTests(ServerFixture server) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly IntelMqClient _client = new(server.HttpAddress);

    public void Dispose() => _client.Dispose();

    /// <summary>A sensor's key (an operator of gridco) granted a NATIONAL feed of its own.</summary>
    private async Task<string> SensorAsync(string feed)
    {
        var key = await server.IssueKeyAsync("intelmq-" + feed, Role.Operator, "gridco");
        await server.GrantFeedAsync(feed, key);
        return key;
    }

    /// <summary>The feed's totals once the aggregator has caught up.</summary>
    private async Task<FeedStats> FeedStatsAsync(string feed)
    {
        var stats = await IngestStats.SettledAsync(server.Ingest(server.AnalystKey));
        return stats.Feeds.SingleOrDefault(f => f.Feed == feed) ?? new FeedStats { Feed = feed };
    }

    /// <summary>
    /// The feed's totals once its refusals are counted: a request refused whole leaves only those in
    /// the log (no events, so no backlog to wait on), and anything of it stored would count in the same pass.
    /// </summary>
    private async Task<FeedStats> FeedStatsOnceRejectedAsync(string feed, long rejected) =>
        await Eventually.ReadAsync(() => FeedStatsAsync(feed), s => s.Rejected >= rejected, $"the refusals of {feed} were not counted");

    private static void AssertAccepted(IntelMqResponse answer, int events)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"answered {(int)answer.Status}: {answer.Body.ToJsonString()}");
        Assert.Equal(events, answer.Body["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task OneEventAsTheRestApiOutputSendsItIsStoredAndCounted()
    {
        var key = await SensorAsync("imq-one");

        var answer = await _client.PostJsonAsync(IntelMqEvents.C2Server("imq-one", "198.18.1.1"), key);

        AssertAccepted(answer, 1);
        Assert.Equal(1, (await FeedStatsAsync("imq-one")).Stored);
    }

    [Fact]
    public async Task AnArrayOfEventsFlatAndHierarchicalIsStoredAndCounted()
    {
        var key = await SensorAsync("imq-array");
        var events = new JsonArray(
            IntelMqEvents.C2Server("imq-array", "198.18.2.1"),
            IntelMqEvents.Hierarchical(IntelMqEvents.C2Server("imq-array", "198.18.2.2")),
            IntelMqEvents.Scanner("imq-array", "198.18.2.3"));

        var answer = await _client.PostJsonAsync(events, key);

        AssertAccepted(answer, 3);
        Assert.Equal(3, (await FeedStatsAsync("imq-array")).Stored);
    }

    [Fact]
    public async Task NewlineDelimitedEventsAsTheFileOutputWritesThemAreStoredAndCounted()
    {
        var key = await SensorAsync("imq-ndjson");
        var events = Enumerable.Range(1, 4).Select(i => IntelMqEvents.Scanner("imq-ndjson", $"198.18.3.{i}")).ToList();

        var answer = await _client.PostNdjsonAsync(events, key);

        AssertAccepted(answer, 4);
        Assert.Equal(4, (await FeedStatsAsync("imq-ndjson")).Stored);
    }

    [Fact]
    public async Task ARetryOfTheSameRequestIsAcknowledgedAgainAndCountedOnce()
    {
        var key = await SensorAsync("imq-retry");
        var events = new JsonArray(IntelMqEvents.C2Server("imq-retry", "198.18.4.1"), IntelMqEvents.Scanner("imq-retry", "198.18.4.2"));
        AssertAccepted(await _client.PostJsonAsync(events, key), 2);
        Assert.Equal(2, (await FeedStatsAsync("imq-retry")).Stored);

        // The bot's retry after a lost answer: the very same events, this time one per request.
        AssertAccepted(await _client.PostJsonAsync(events[0]!.DeepClone(), key), 1);
        AssertAccepted(await _client.PostJsonAsync(events[1]!.DeepClone(), key), 1);

        var stats = await FeedStatsAsync("imq-retry");
        Assert.Equal((2L, 2L), (stats.Stored, stats.Resent));
    }

    [Fact]
    public async Task ARequestResentWithTheSameIdempotencyKeyIsCountedOnce()
    {
        var key = await SensorAsync("imq-idem");
        var first = new JsonArray(IntelMqEvents.Scanner("imq-idem", "198.18.5.1"), IntelMqEvents.Scanner("imq-idem", "198.18.5.2"));
        // Rebuilt for the resend: its observation times differ, and the key still says it is the same request.
        var again = new JsonArray(IntelMqEvents.Scanner("imq-idem", "198.18.5.1", 23), IntelMqEvents.Scanner("imq-idem", "198.18.5.2", 23));

        AssertAccepted(await _client.PostJsonAsync(first, key, idempotencyKey: "run-2026-11-30-001"), 2);
        AssertAccepted(await _client.PostJsonAsync(again, key, idempotencyKey: "run-2026-11-30-001"), 2);

        var stats = await FeedStatsAsync("imq-idem");
        Assert.Equal((2L, 2L), (stats.Stored, stats.Resent));
    }

    [Fact]
    public async Task KeysCirtHasNoFieldForAreKeptInExtra()
    {
        var key = await SensorAsync("imq-extra");

        AssertAccepted(await _client.PostJsonAsync(IntelMqEvents.C2Server("imq-extra", "198.18.6.1"), key), 1);

        await FeedStatsAsync("imq-extra");
        var unmatched = await server.Ingest(server.AnalystKey).ListUnmatchedEventsAsync(new ListUnmatchedEventsRequest { Feed = "imq-extra" });
        var stored = Assert.Single(unmatched.Events).Event;
        Assert.Equal(("198.18.6.1", "c2-server", 443u), (stored.SourceIp, stored.RsitType, stored.SourcePort));
        Assert.Equal("online", stored.Extra["extra.status"]);
        Assert.Equal("XA", stored.Extra["source.geolocation.cc"]);
        Assert.Equal("EXAMPLE-AS", stored.Extra["source.as_name"]);
        Assert.StartsWith("sha256:", stored.ProducerEventId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadEventIsRefusedWith400NamingItsIndexAndKeyAndNothingOfTheRequestIsStored()
    {
        var key = await SensorAsync("imq-bad");
        var bad = IntelMqEvents.Scanner("imq-bad", "198.18.7.2");
        bad["source.ip"] = "010.0.0.1";
        var events = new JsonArray(IntelMqEvents.Scanner("imq-bad", "198.18.7.1"), bad, IntelMqEvents.Scanner("imq-bad", "198.18.7.3"));

        var answer = await _client.PostJsonAsync(events, key);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("INVALID_ARGUMENT", answer.Body["code"]!.GetValue<string>());
        var violation = Assert.Single(answer.Body["violations"]!.AsArray())!;
        Assert.Equal((1, "source.ip"), (violation["event"]!.GetValue<int>(), violation["key"]!.GetValue<string>()));
        Assert.Contains("Nothing of this request was stored", answer.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var stats = await FeedStatsOnceRejectedAsync("imq-bad", 1);
        Assert.Equal((0L, 1L), (stats.Stored, stats.Rejected));
    }

    [Fact]
    public async Task AnEventOfTheWrongShapeIsRefusedBeforeAnythingIsOffered()
    {
        var key = await SensorAsync("imq-shape");
        var bad = IntelMqEvents.Scanner("imq-shape", "198.18.8.2");
        bad["destination.port"] = 70000;
        var unknownType = IntelMqEvents.Scanner("imq-shape", "198.18.8.3");
        unknownType["classification.type"] = "botnet drone";

        var answer = await _client.PostNdjsonAsync([IntelMqEvents.Scanner("imq-shape", "198.18.8.1"), bad, unknownType], key);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal([(1, "destination.port")],
            answer.Body["violations"]!.AsArray().Select(v => (v!["event"]!.GetValue<int>(), v["key"]!.GetValue<string>())));
        var typeAnswer = await _client.PostNdjsonAsync([unknownType], key);
        Assert.Equal(HttpStatusCode.BadRequest, typeAnswer.Status);
        Assert.Equal("classification.type", typeAnswer.Body["violations"]![0]!["key"]!.GetValue<string>());
        // Only the event that reached the ingest rules is counted as refused; a shape error is the request's.
        var stats = await FeedStatsOnceRejectedAsync("imq-shape", 1);
        Assert.Equal((0L, 1L), (stats.Stored, stats.Rejected));
    }

    [Fact]
    public async Task AFeedTheKeyIsNotGrantedIsRefusedWith403AndNothingIsStored()
    {
        var key = await SensorAsync("imq-mine");
        await SensorAsync("imq-theirs");
        var events = new JsonArray(IntelMqEvents.Scanner("imq-mine", "198.18.9.1"), IntelMqEvents.Scanner("imq-theirs", "198.18.9.2"));

        var answer = await _client.PostJsonAsync(events, key);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("PERMISSION_DENIED", answer.Body["code"]!.GetValue<string>());
        var violation = Assert.Single(answer.Body["violations"]!.AsArray())!;
        Assert.Equal((1, "feed.name"), (violation["event"]!.GetValue<int>(), violation["key"]!.GetValue<string>()));
        Assert.Contains("not granted to this key", violation["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        await FeedStatsOnceRejectedAsync("imq-theirs", 1);
        Assert.Equal(0, (await FeedStatsAsync("imq-mine")).Stored);
    }

    [Fact]
    public async Task ARequestOverItsFeedsQuotaIsRefusedWith429AndGivesTheQuotaBack()
    {
        var key = await server.IssueKeyAsync("intelmq-imq-quota", Role.Operator, "gridco");
        await server.GrantFeedAsync("imq-quota", key, new FeedSettings { Trust = FeedTrust.National, QuotaPerMinute = 3 });

        var over = await _client.PostNdjsonAsync(Enumerable.Range(1, 4).Select(i => IntelMqEvents.Scanner("imq-quota", $"198.18.11.{i}")), key);

        Assert.Equal(HttpStatusCode.TooManyRequests, over.Status);
        Assert.Equal("RESOURCE_EXHAUSTED", over.Body["code"]!.GetValue<string>());
        Assert.NotNull(over.Response.Headers.RetryAfter?.Delta);
        var violation = Assert.Single(over.Body["violations"]!.AsArray())!;
        Assert.Equal((3, "feed.name"), (violation["event"]!.GetValue<int>(), violation["key"]!.GetValue<string>()));
        // Nothing of the refused request was stored, and what it took from the quota was given back.
        AssertAccepted(await _client.PostNdjsonAsync(Enumerable.Range(1, 3).Select(i => IntelMqEvents.Scanner("imq-quota", $"198.18.11.{i}")), key), 3);
    }

    [Fact]
    public async Task WithoutAKeyTheAnswerIs401WithABearerChallenge()
    {
        var answer = await _client.PostJsonAsync(IntelMqEvents.Scanner("imq-none", "198.18.10.1"), apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("UNAUTHENTICATED", answer.Body["code"]!.GetValue<string>());
        Assert.Equal("Bearer", Assert.Single(answer.Response.Headers.WwwAuthenticate).Scheme);
        var wrong = await _client.PostJsonAsync(IntelMqEvents.Scanner("imq-none", "198.18.10.1"), apiKey: "cirt_0123456789abcdef_wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
    }

    [Fact]
    public async Task APartnersKeyMayNotPublishEvents()
    {
        var partnerKey = await Taxii.TaxiiPartners.RegisterAsync(server, "cert-intelmq");

        var answer = await _client.PostJsonAsync(IntelMqEvents.Scanner("imq-partner", "198.18.12.1"), partnerKey);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("PERMISSION_DENIED", answer.Body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheEndpointIsServedOnTheHttpEndpointOnly()
    {
        var key = await SensorAsync("imq-grpc-port");
        using var onGrpcPort = new HttpClient { BaseAddress = new Uri(server.Address) };
        using var request = new HttpRequestMessage(HttpMethod.Post, IntelMqClient.Path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(IntelMqEvents.Scanner("imq-grpc-port", "198.18.13.1").ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

        using var response = await onGrpcPort.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ABodyThatIsNotJsonOrOfAnotherTypeIsRefusedPlainly()
    {
        var key = await SensorAsync("imq-body");

        var notJson = await _client.PostAsync("{\"feed.name\": ", "application/json", key, null);
        var form = await _client.PostAsync("feed.name=imq-body", "application/x-www-form-urlencoded", key, null);
        var empty = await _client.PostAsync("[]", "application/json", key, null);

        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_ARGUMENT"), (notJson.Status, notJson.Body["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.Status);
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
    }
}
