using System.Text;
using System.Text.Json.Nodes;
using Cirt.Contracts.V1;
using Cirt.Grains.Seeding;
using Cirt.Grains.Taxonomy;
using Cirt.Server.IntelMq;

namespace Cirt.Server.Tests.IntelMq;

/// <summary>IntelMQ's events onto Cirt's: the fields it has, RSIT classification, extra for the rest, the resend id, and shape errors naming the IntelMQ key.</summary>
public sealed class IntelMqMappingTests
{
    private static readonly RsitTaxonomy Taxonomy = SeedFiles.LoadTaxonomy(Path.Combine(AppContext.BaseDirectory, "seeds"));

    private static IntelMqEvent Single(JsonNode body, bool newlineDelimited = false)
    {
        var (events, problem) = IntelMqBody.Read(Encoding.UTF8.GetBytes(body.ToJsonString()), newlineDelimited, 5000);
        Assert.Null(problem);
        return Assert.Single(events!);
    }

    private static IntelMqMapped Mapped(JsonObject intelMq, string? idempotencyKey = null)
    {
        var (mapped, problem) = IntelMqMapping.Map(Single(intelMq), idempotencyKey, Taxonomy);
        Assert.Null(problem);
        return mapped!;
    }

    private static IntelMqViolation Problem(JsonObject intelMq)
    {
        var (mapped, problem) = IntelMqMapping.Map(Single(intelMq), null, Taxonomy);
        Assert.Null(mapped);
        return problem!;
    }

    [Fact]
    public void TheKeysCirtKnowsFillTheEventAndTheRestIsKeptInExtraUnderItsIntelMqName()
    {
        var observed = new DateTimeOffset(2026, 11, 30, 14, 19, 9, TimeSpan.Zero);

        var e = Mapped(IntelMqEvents.C2Server("tracker-c2", "198.18.0.7", observed)).Event;

        Assert.Equal(("tracker-c2", "malicious-code", "c2-server"), (e.Feed, e.RsitClass, e.RsitType));
        Assert.Equal(("198.18.0.7", 443u, 4200000001u), (e.SourceIp, e.SourcePort, e.SourceAsn));
        Assert.Equal(("botnet-x", "botnet-x"), (e.MalwareFamily, e.Identifier));
        Assert.Equal(observed, e.ObservedAt.ToDateTimeOffset());
        Assert.Equal(
            ["extra.first_seen", "extra.status", "feed.accuracy", "source.as_name", "source.geolocation.cc", "source.geolocation.city",
             "source.geolocation.latitude", "source.geolocation.longitude", "source.network", "time.observation"],
            e.Extra.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("online", e.Extra["extra.status"]);
        Assert.Equal("100", e.Extra["feed.accuracy"]);
        Assert.Equal("31.95", e.Extra["source.geolocation.latitude"]);
    }

    [Fact]
    public void DestinationsAreMappedAndRawIsNotKept()
    {
        var e = Mapped(IntelMqEvents.Scanner("sensor-net", "198.18.0.9", destinationPort: 2222)).Event;

        Assert.Equal(("192.0.2.200", 2222u), (e.DestinationIp, e.DestinationPort));
        Assert.Equal(["protocol.transport", "time.observation"], e.Extra.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AHierarchicalEventReadsAsTheFlatOneAndHasTheSameDigest()
    {
        var flat = IntelMqEvents.C2Server("tracker-c2", "198.18.0.7");

        var a = Mapped(flat);
        var b = Mapped(IntelMqEvents.Hierarchical(flat));

        Assert.Equal(a.Event, b.Event);
        Assert.StartsWith(IntelMqDigest.Prefix, a.Event.ProducerEventId, StringComparison.Ordinal);
        Assert.Equal("digest", a.IdSource);
    }

    [Fact]
    public void AnObjectInExtraIsFlattenedAsIntelMqsHierarchicalOutputSplitsItAndArraysStayWhole()
    {
        var flat = IntelMqEvents.Scanner("sensor-net", "198.18.0.9");
        flat["extra.device"] = new JsonObject { ["vendor"] = "acme", ["ports"] = new JsonArray(22, 2222) };
        var split = IntelMqEvents.Scanner("sensor-net", "198.18.0.9");
        split["extra.device.vendor"] = "acme";
        split["extra.device.ports"] = new JsonArray(22, 2222);
        split["time.source"] = flat["time.source"]!.DeepClone();
        split["time.observation"] = flat["time.observation"]!.DeepClone();

        var e = Mapped(flat).Event;

        Assert.Equal(("acme", "[22,2222]"), (e.Extra["extra.device.vendor"], e.Extra["extra.device.ports"]));
        Assert.Equal(e, Mapped(split).Event);
        Assert.Equal(e, Mapped(IntelMqEvents.Hierarchical(split)).Event);
    }

    [Fact]
    public void TheDigestChangesWithAnyValueAndIgnoresTheOrderOfKeys()
    {
        var flat = IntelMqEvents.Scanner("sensor-net", "198.18.0.9");
        var reordered = new JsonObject(flat.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var otherPort = IntelMqEvents.Scanner("sensor-net", "198.18.0.9");
        otherPort["destination.port"] = 23;
        otherPort["time.source"] = flat["time.source"]!.DeepClone();
        otherPort["time.observation"] = flat["time.observation"]!.DeepClone();

        Assert.Equal(Mapped(flat).Event.ProducerEventId, Mapped(reordered).Event.ProducerEventId);
        Assert.NotEqual(Mapped(flat).Event.ProducerEventId, Mapped(otherPort).Event.ProducerEventId);
    }

    [Fact]
    public void TheProducersOwnIdComesFromExtraCirtEventIdThenFromTheIdempotencyKeyAndIndex()
    {
        var named = IntelMqEvents.Scanner("sensor-net", "198.18.0.9");
        named["extra.cirt_event_id"] = "sensor-42";

        Assert.Equal("sensor-42", Mapped(named, idempotencyKey: "run-7").Event.ProducerEventId);
        Assert.DoesNotContain("extra.cirt_event_id", Mapped(named).Event.Extra.Keys);
        Assert.Equal("run-7#0", Mapped(IntelMqEvents.Scanner("sensor-net", "198.18.0.9"), idempotencyKey: "run-7").Event.ProducerEventId);
    }

    [Fact]
    public void ExtraWrittenAsAJsonStringIsReadAsItsKeys()
    {
        var flat = IntelMqEvents.Scanner("sensor-net", "198.18.0.9");
        flat["extra"] = "{\"tag\": \"ssh\", \"hits\": 3}";

        var e = Mapped(flat).Event;

        Assert.Equal("ssh", e.Extra["extra.tag"]);
        Assert.Equal("3", e.Extra["extra.hits"]);
    }

    [Theory]
    [InlineData("other", "tor", "other", "other", true)]
    [InlineData("other", "blacklist", "other", "other", true)]
    [InlineData(null, "dga-domain", "other", "other", true)]
    [InlineData("fraud", "unauthorized-use-of-resources", "fraud", "unauthorised-use-of-resources", false)]
    [InlineData(null, "phishing", "fraud", "phishing", false)]
    [InlineData("vulnerable", "ddos-amplifier", "vulnerable", "ddos-amplifier", false)]
    public void IntelMqsClassificationBecomesRsit(string? taxonomy, string type, string rsitClass, string rsitType, bool typeKept)
    {
        var flat = IntelMqEvents.Scanner("sensor-net", "198.18.0.9");
        flat.Remove("classification.taxonomy");
        if (taxonomy is not null)
        {
            flat["classification.taxonomy"] = taxonomy;
        }

        flat["classification.type"] = type;

        var e = Mapped(flat).Event;

        Assert.Equal((rsitClass, rsitType), (e.RsitClass, e.RsitType));
        Assert.Equal(typeKept ? type : null, e.Extra.GetValueOrDefault("classification.type"));
        Assert.Null(Taxonomy.Refuse(e.RsitClass, e.RsitType));
    }

    [Fact]
    public void WithoutTimeSourceTheObservationTimeIsTheObservedTime()
    {
        var flat = IntelMqEvents.Scanner("sensor-net", "198.18.0.9");
        flat.Remove("time.source");

        var mapped = Mapped(flat);

        Assert.Equal(DateTimeOffset.Parse(flat["time.observation"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), mapped.Event.ObservedAt.ToDateTimeOffset());
        Assert.Equal("time.observation", mapped.KeyOf("observed_at"));
    }

    [Theory]
    [InlineData("source.port", "70000")]
    [InlineData("source.port", "-1")]
    [InlineData("source.asn", "\"AS64500\"")]
    [InlineData("source.ip", "17")]
    [InlineData("time.source", "\"yesterday\"")]
    [InlineData("tlp", "\"PURPLE\"")]
    [InlineData("__type", "\"Report\"")]
    public void AValueOfTheWrongShapeIsRefusedNamingItsKey(string key, string json)
    {
        var flat = IntelMqEvents.Scanner("sensor-net", "198.18.0.9");
        flat[key] = JsonNode.Parse(json);

        var problem = Problem(flat);

        Assert.Equal((0, key), (problem.Event, problem.Key));
    }

    [Fact]
    public void MoreKeysThanExtraHoldsIsRefusedNamingThem()
    {
        var flat = IntelMqEvents.Scanner("sensor-net", "198.18.0.9");
        for (var i = 0; i < 20; i++)
        {
            flat[$"extra.k{i:00}"] = i;
        }

        var problem = Problem(flat);

        Assert.Equal("extra", problem.Key);
        Assert.Contains("extra.k19", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("field reducer", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", false)]
    [InlineData("application/json; charset=utf-8", false)]
    [InlineData("application/x-ndjson", true)]
    [InlineData("application/ndjson", true)]
    public void TheContentTypesIntelMqWritesAreRead(string contentType, bool newlineDelimited)
    {
        Assert.True(IntelMqEndpoint.TryFormat(contentType, out var ndjson));
        Assert.Equal(newlineDelimited, ndjson);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    public void OtherContentTypesAreNot(string? contentType) => Assert.False(IntelMqEndpoint.TryFormat(contentType, out _));

    [Fact]
    public void NewlineDelimitedEventsAreIndexedSkippingBlankLinesAndABadLineIsNamed()
    {
        var a = IntelMqEvents.Scanner("sensor-net", "198.18.0.9").ToJsonString();
        var body = Encoding.UTF8.GetBytes($"{a}\n\n{a}\r\n{{not json\n");

        var (events, problem) = IntelMqBody.Read(body, newlineDelimited: true, 5000);

        Assert.Null(events);
        Assert.Equal(2, problem!.Event);
        Assert.Contains("line 4", problem.Reason, StringComparison.Ordinal);
        var (good, none) = IntelMqBody.Read(Encoding.UTF8.GetBytes($"{a}\n\n{a}\r\n"), newlineDelimited: true, 5000);
        Assert.Null(none);
        Assert.Equal([(0, 1), (1, 3)], good!.Select(e => (e.Index, e.Line)));
    }

    [Fact]
    public void AKeyGivenTwiceIsRefused()
    {
        var body = Encoding.UTF8.GetBytes("{\"source.ip\": \"198.18.0.1\", \"source\": {\"ip\": \"198.18.0.2\"}}");

        var (events, problem) = IntelMqBody.Read(body, newlineDelimited: false, 5000);

        Assert.Null(events);
        Assert.Equal((0, "source.ip"), (problem!.Event, problem.Key));
    }
}
