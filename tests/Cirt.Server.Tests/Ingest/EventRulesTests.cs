using Cirt.Contracts.V1;
using Cirt.Grains.Seeding;
using Cirt.Grains.Taxonomy;
using Cirt.Server.Api;
using Cirt.Server.Ingest;
using Google.Protobuf.WellKnownTypes;

namespace Cirt.Server.Tests.Ingest;

/// <summary>What makes an automated event acceptable: every refusal names its field; an accepted event is stored in one canonical form.</summary>
public sealed class EventRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly RsitTaxonomy Taxonomy = SeedFiles.LoadTaxonomy(Path.Combine(AppContext.BaseDirectory, "seeds"));

    /// <summary>One way to spoil an otherwise good event, and the field its refusal must name.</summary>
    private static readonly Dictionary<string, (Action<Event> Spoil, string Field)> Spoilers = new()
    {
        ["no producer event id"] = (e => e.ProducerEventId = "", "producer_event_id"),
        ["a producer event id of 129 characters"] = (e => e.ProducerEventId = new string('p', 129), "producer_event_id"),
        ["no feed"] = (e => e.Feed = "", "feed"),
        ["a feed of 101 characters"] = (e => e.Feed = new string('f', 101), "feed"),
        ["no RSIT class"] = (e => e.RsitClass = "", "rsit_class"),
        ["an RSIT class that does not exist"] = (e => e.RsitClass = "malware", "rsit_class"),
        ["an RSIT type of another class"] = (e => e.RsitType = "phishing", "rsit_type"),
        ["no observation time"] = (e => e.ObservedAt = null, "observed_at"),
        ["an observation time no calendar has"] = (e => e.ObservedAt = new Timestamp { Seconds = long.MaxValue }, "observed_at"),
        ["an observation beyond the clock skew in the future"] = (e => e.ObservedAt = Timestamp.FromDateTimeOffset(Now + FieldRules.ClockSkew + TimeSpan.FromSeconds(1)), "observed_at"),
        ["a source address in octal"] = (e => e.SourceIp = "010.0.0.1", "source_ip"),
        ["a source address with a zone"] = (e => e.SourceIp = "fe80::1%eth0", "source_ip"),
        ["a destination address that is a name"] = (e => e.DestinationIp = "gridco.example", "destination_ip"),
        ["a source port past 65535"] = (e => e.SourcePort = 65536, "source_port"),
        ["a destination port past 65535"] = (e => e.DestinationPort = 65536, "destination_port"),
        ["an FQDN that is no domain name"] = (e => e.Fqdn = "not a domain", "fqdn"),
        ["a URL of another scheme"] = (e => e.Url = "javascript:alert(1)", "url"),
        ["a relative URL"] = (e => e.Url = "/login.php", "url"),
        ["a URL over the observable limit"] = (e => e.Url = "https://gridco.example/" + new string('a', 2_048), "url"),
        ["a malware family of 201 characters"] = (e => e.MalwareFamily = new string('m', 201), "malware_family"),
        ["an identifier of 201 characters"] = (e => e.Identifier = new string('i', 201), "identifier"),
        ["21 extra entries"] = (e => e.Extra.Add(Enumerable.Range(0, 21).ToDictionary(i => $"k{i}", i => "v")), "extra"),
        ["an empty extra key"] = (e => e.Extra.Add("", "v"), "extra"),
        ["an extra key of 65 characters"] = (e => e.Extra.Add(new string('k', 65), "v"), "extra"),
        ["an extra value of 513 characters"] = (e => e.Extra.Add("k", new string('v', 513)), "extra"),
        ["a TLP the protocol does not know"] = (e => e.Tlp = (Tlp)99, "tlp"),
    };

    public static TheoryData<string> SpoilerNames => new(Spoilers.Keys);

    private static Event Good() => new()
    {
        ProducerEventId = "evt-1",
        Feed = "honeypot-eu-1",
        RsitClass = "malicious-code",
        RsitType = "infected-system",
        ObservedAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(-3)),
        SourceIp = "198.51.100.7",
        SourcePort = 51234,
        DestinationIp = "2001:db8::53",
        DestinationPort = 23,
        SourceAsn = 64497,
        Fqdn = "scada.gridco.example",
        Url = "http://scada.gridco.example/login",
        MalwareFamily = "mirai",
        Identifier = "ET TROJAN Mirai",
        Extra = { ["sensor"] = "eu-1" },
        Tlp = Tlp.Green,
    };

    [Fact]
    public void AGoodEventIsAccepted() => Assert.Null(EventRules.Refuse(Good(), Taxonomy, Now));

    [Theory]
    [MemberData(nameof(SpoilerNames))]
    public void EachRefusalNamesItsField(string spoiler)
    {
        var (spoil, field) = Spoilers[spoiler];
        var e = Good();
        spoil(e);

        var refusal = EventRules.Refuse(e, Taxonomy, Now);

        Assert.NotNull(refusal);
        Assert.Equal(field, refusal.Value.Field);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Value.Reason));
    }

    [Fact]
    public void EveryLimitIsInclusive()
    {
        var e = Good();
        e.ProducerEventId = new string('p', EventRules.MaxProducerEventId);
        e.Feed = new string('f', EventRules.MaxFeed);
        e.ObservedAt = Timestamp.FromDateTimeOffset(Now + FieldRules.ClockSkew);
        e.SourcePort = 65535;
        e.DestinationPort = 65535;
        e.Url = "https://gridco.example/" + new string('a', 2_048 - "https://gridco.example/".Length);
        e.MalwareFamily = new string('m', EventRules.MaxShortText);
        e.Identifier = new string('i', EventRules.MaxShortText);
        e.Extra.Clear();
        e.Extra.Add(Enumerable.Range(0, EventRules.MaxExtraEntries - 1).ToDictionary(i => $"k{i}", i => "v"));
        e.Extra.Add(new string('k', EventRules.MaxExtraKey), new string('v', EventRules.MaxExtraValue));

        Assert.Null(EventRules.Refuse(e, Taxonomy, Now));
    }

    [Fact]
    public void OptionalFieldsMayBeLeftOutAndTheTlpUnspecified()
    {
        var e = new Event
        {
            ProducerEventId = "evt-2", Feed = "scanner-1", RsitClass = "information-gathering", RsitType = "scanner",
            ObservedAt = Timestamp.FromDateTimeOffset(Now.AddDays(-30)),
        };

        Assert.Null(EventRules.Refuse(e, Taxonomy, Now));
    }

    [Fact]
    public void OnlyTheFirstProblemIsReportedInTheOrderOfTheFields()
    {
        var e = Good();
        e.Feed = "";
        e.SourcePort = 70000;

        Assert.Equal("feed", EventRules.Refuse(e, Taxonomy, Now)?.Field);
    }

    [Fact]
    public void TheRefusalQuotesWhatWasSent()
    {
        var e = Good();
        e.SourceIp = "999.0.0.1";

        Assert.Contains("'999.0.0.1'", EventRules.Refuse(e, Taxonomy, Now)?.Reason);
    }

    [Fact]
    public void AnAcceptedEventIsStoredInCanonicalForm()
    {
        var e = Good();
        e.SourceIp = "2001:DB8:0:0:0:0:0:1";
        e.DestinationIp = "192.0.2.10";
        e.Fqdn = "SCADA.GridCo.Example.";
        e.Tlp = Tlp.Unspecified;

        EventRules.Canonicalise(e);

        Assert.Equal("2001:db8::1", e.SourceIp);
        Assert.Equal("192.0.2.10", e.DestinationIp);
        Assert.Equal("scada.gridco.example", e.Fqdn);
        Assert.Equal(Tlp.Amber, e.Tlp);
    }

    [Fact]
    public void ATlpTheFeedSetIsKeptAndEmptyFieldsStayEmpty()
    {
        var e = new Event { ProducerEventId = "evt-3", Feed = "f", RsitClass = "test", RsitType = "test", Tlp = Tlp.Red };

        EventRules.Canonicalise(e);

        Assert.Equal(Tlp.Red, e.Tlp);
        Assert.Equal(("", "", ""), (e.SourceIp, e.DestinationIp, e.Fqdn));
    }
}
