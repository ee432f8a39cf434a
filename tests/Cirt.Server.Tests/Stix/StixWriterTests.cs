using System.Text.Json.Nodes;
using Cirt.Contracts.V1;
using Cirt.Server.Stix;
using static Cirt.Server.Tests.Stix.StixPayloads;

namespace Cirt.Server.Tests.Stix;

/// <summary>Advisories and incidents as STIX 2.1 bundles: what MISP, OpenCTI and TheHive will read.</summary>
public sealed class StixWriterTests
{
    private const string AmberId = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";

    private static List<JsonObject> Objects(string bundle) =>
        JsonNode.Parse(bundle)!["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();

    private static List<JsonObject> OfType(string bundle, string type) => Objects(bundle).Where(o => (string)o["type"]! == type).ToList();

    private static string Write(SharedAdvisory advisory) => StixWriter.Write(Payload(advisory), Created, Modified);

    [Fact]
    public void AnAdvisoryIsAReportByItsCirtMarkedWithItsTlp()
    {
        var bundle = Write(Advisory());

        Assert.Empty(StixValidator.Validate(bundle, StixValidationMode.Export));
        var identity = Assert.Single(OfType(bundle, "identity"));
        Assert.Equal("cirt-fr", (string)identity["name"]!);
        Assert.Equal("organization", (string)identity["identity_class"]!);
        var report = Assert.Single(OfType(bundle, "report"));
        Assert.Equal("Critical flaw in ExampleVPN gateways exploited", (string)report["name"]!);
        Assert.Equal(Advisory().Summary, (string)report["description"]!);
        Assert.Equal("2026-03-02T14:00:05.678Z", (string)report["published"]!);
        Assert.Equal("2026-03-01T09:30:00.123Z", (string)report["created"]!);
        Assert.Equal("2026-03-02T14:00:05.678Z", (string)report["modified"]!);
        Assert.Equal(["threat-report"], report["report_types"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(["ExampleVPN Gateway 9.1", "ExampleVPN Gateway 9.2"], report["x_cirt_affected_products"]!.AsArray().Select(p => (string)p!));
        var reference = Assert.Single(report["external_references"]!.AsArray());
        Assert.Equal("cirt-fr", (string)reference!["source_name"]!);
        Assert.Equal("ADV-2026-0007", (string)reference["external_id"]!);

        // The report refers to everything but the author and the marking.
        var content = Objects(bundle).Where(o => (string)o["type"]! is not ("identity" or "marking-definition" or "report")).Select(o => (string)o["id"]!);
        Assert.Equal(content.Order(), report["object_refs"]!.AsArray().Select(r => (string)r!).Order());

        // One marking, the OASIS TLP:AMBER object, on every object; one author on every object but itself.
        var marking = Assert.Single(OfType(bundle, "marking-definition"));
        Assert.Equal(
            """{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421","created":"2022-10-01T00:00:00.000Z","name":"TLP:AMBER","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"amber"}}}""",
            marking.ToJsonString());
        var objects = Objects(bundle);
        Assert.All(objects.Where(o => (string)o["type"]! != "marking-definition"), o => Assert.Equal([AmberId], o["object_marking_refs"]!.AsArray().Select(m => (string)m!)));
        Assert.All(objects.Where(o => (string)o["type"]! is not ("marking-definition" or "identity")), o => Assert.Equal((string)identity["id"]!, (string)o["created_by_ref"]!));
        Assert.Equal(22, objects.Count);
    }

    [Fact]
    public void EachCveIsAVulnerabilityWithItsCveReferenceAndScore()
    {
        var vulnerabilities = OfType(Write(Advisory()), "vulnerability").ToDictionary(v => (string)v["name"]!);

        Assert.Equal(["CVE-2026-1001", "CVE-2026-1002"], vulnerabilities.Keys.Order());
        var critical = vulnerabilities["CVE-2026-1001"];
        var reference = Assert.Single(critical["external_references"]!.AsArray());
        Assert.Equal("cve", (string)reference!["source_name"]!);
        Assert.Equal("CVE-2026-1001", (string)reference["external_id"]!);
        Assert.Equal(9.8, (double)critical["x_cirt_cvss_score"]!);
        Assert.Equal("CVSS base score 9.8 (critical).", (string)critical["description"]!);
        Assert.Equal("CVSS base score 6.5 (medium).", (string)vulnerabilities["CVE-2026-1002"]["description"]!);
    }

    [Fact]
    public void EachIndicatorIsAStixPatternOfOneEquality()
    {
        var patterns = OfType(Write(Advisory()), "indicator").ToDictionary(i => (string)i["pattern"]!);

        Assert.Equal(
            [
                "[autonomous-system:number = 64500]",
                "[domain-name:value = 'update.example-vpn.test']",
                "[email-addr:value = 'billing@phish.example.test']",
                "[file:hashes.'MD5' = '44d88612fea8a8f36de82e1278abb02f']",
                "[file:hashes.'SHA-1' = '3395856ce81f2b7382dee72602f798b642f14140']",
                "[file:hashes.'SHA-256' = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f']",
                "[ipv4-addr:value = '198.51.100.23']",
                "[ipv4-addr:value = '203.0.113.0/24']",
                "[ipv6-addr:value = '2001:db8:1::/48']",
                "[ipv6-addr:value = '2001:db8::23']",
                "[url:value = 'https://files.example.test/o\\'brien/payload.bin']",
            ],
            patterns.Keys.Order(StringComparer.Ordinal));
        Assert.All(patterns.Values, i =>
        {
            Assert.Equal("stix", (string)i["pattern_type"]!);
            Assert.Equal("2026-03-01T09:30:00.123Z", (string)i["valid_from"]!);
        });
        Assert.Equal("C2 server seen in proxy logs", (string)patterns["[ipv4-addr:value = '198.51.100.23']"]["description"]!);
        Assert.Equal("198.51.100.23", (string)patterns["[ipv4-addr:value = '198.51.100.23']"]["name"]!);
    }

    [Fact]
    public void EachActionIsACourseOfActionThatMitigatesEachVulnerability()
    {
        var bundle = Write(Advisory());
        var courses = OfType(bundle, "course-of-action");
        var vulnerabilities = OfType(bundle, "vulnerability").Select(v => (string)v["id"]!).ToHashSet();

        Assert.Equal(["Install ExampleVPN 9.2.4 or later.", "Reset every credential stored on the gateway."], courses.Select(c => (string)c["description"]!).Order());
        var relationships = OfType(bundle, "relationship");
        Assert.Equal(4, relationships.Count);
        Assert.All(relationships, r =>
        {
            Assert.Equal("mitigates", (string)r["relationship_type"]!);
            Assert.Contains((string)r["source_ref"]!, courses.Select(c => (string)c["id"]!));
            Assert.Contains((string)r["target_ref"]!, vulnerabilities);
        });
        Assert.Equal(4, relationships.Select(r => ((string)r["source_ref"]!, (string)r["target_ref"]!)).Distinct().Count());
    }

    [Fact]
    public void TheSameItemGetsTheSameIdsAndALaterVersionALaterModified()
    {
        var first = Write(Advisory());
        var again = Write(Advisory());
        var updated = Advisory();
        updated.Summary = "Updated: a fix is out.";
        var later = StixWriter.Write(Payload(updated, version: 4), Created, Modified.AddDays(1));
        var otherInstance = StixWriter.Write(Payload(Advisory(), instance: "cirt-nl"), Created, Modified);

        Assert.Equal(first, again);
        var ids = Objects(first).Select(o => (string)o["id"]!).ToArray();
        Assert.Equal(ids, Objects(later).Select(o => (string)o["id"]!));
        Assert.All(Objects(later).Where(o => (string)o["type"]! is not ("identity" or "marking-definition")),
            o => Assert.Equal("2026-03-03T14:00:05.678Z", (string)o["modified"]!));
        Assert.NotEqual((string)JsonNode.Parse(first)!["id"]!, (string)JsonNode.Parse(later)!["id"]!);
        var elsewhere = Objects(otherInstance).Where(o => (string)o["type"]! != "marking-definition").Select(o => (string)o["id"]!);
        Assert.Empty(elsewhere.Intersect(ids));
    }

    [Fact]
    public void IdsAreVersion4UuidsOfTheirType()
    {
        Assert.All(Objects(Write(Advisory())), o =>
        {
            var id = (string)o["id"]!;
            Assert.Matches("^[a-z-]+--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
            Assert.StartsWith((string)o["type"]! + "--", id);
        });
    }

    [Fact]
    public void ADraftIsPublishedInTheBundleWhenItWasLastChanged()
    {
        var draft = Advisory();
        draft.PublishedAt = null;

        var report = Assert.Single(OfType(Write(draft), "report"));

        Assert.Equal("2026-03-02T14:00:05.678Z", (string)report["published"]!);
    }

    [Fact]
    public void ACveGivenAsAnIndicatorIsAVulnerabilityNotAPattern()
    {
        var advisory = Advisory();
        advisory.Indicators.Add(new Observable { Type = ObservableType.Cve, Value = "CVE-2026-2002" });
        advisory.Indicators.Add(new Observable { Type = ObservableType.Cve, Value = "CVE-2026-1001" });

        var bundle = Write(advisory);

        Assert.Equal(["CVE-2026-1001", "CVE-2026-1002", "CVE-2026-2002"], OfType(bundle, "vulnerability").Select(v => (string)v["name"]!).Order());
        Assert.Equal(11, OfType(bundle, "indicator").Count);
    }

    [Fact]
    public void AnAdvisoryWithNothingButTextIsAReportAboutItsAuthor()
    {
        var bundle = Write(new SharedAdvisory { Title = "Heads-up", Summary = "Expect phishing around the holidays.", Tlp = Tlp.Clear });

        Assert.Empty(StixValidator.Validate(bundle, StixValidationMode.Export));
        var report = Assert.Single(OfType(bundle, "report"));
        Assert.Equal((string)Assert.Single(OfType(bundle, "identity"))["id"]!, (string)Assert.Single(report["object_refs"]!.AsArray())!);
        Assert.Equal("TLP:CLEAR", (string)Assert.Single(OfType(bundle, "marking-definition"))["name"]!);
    }

    [Fact]
    public void AnIncidentCarriesTheIncidentCoreExtensionAndItsIndicatorsInAReport()
    {
        var bundle = StixWriter.Write(Payload(Incident()), Created, Modified);

        Assert.Empty(StixValidator.Validate(bundle, StixValidationMode.Export));
        var incident = Assert.Single(OfType(bundle, "incident"));
        Assert.Equal("Ransomware on SCADA HMI", (string)incident["name"]!);
        Assert.Equal(["rsit:malicious-code=\"infected-system\""], incident["labels"]!.AsArray().Select(l => (string)l!));
        var core = incident["extensions"]!["extension-definition--ef765651-680c-498d-9894-99799f2fa126"]!;
        Assert.Equal("property-extension", (string)core["extension_type"]!);
        Assert.Equal("successful-attempt", (string)core["determination"]!);
        Assert.Equal("open", (string)core["investigation_status"]!);
        Assert.Equal(70, (int)core["criticality"]!);
        var description = (string)incident["description"]!;
        Assert.Contains("Classification (RSIT): malicious-code / infected-system", description);
        Assert.Contains("- 2026-03-02T14:00:05.678Z Two HMIs isolated; restoring from backup", description);
        Assert.DoesNotContain("gridco", bundle);

        var indicators = OfType(bundle, "indicator");
        Assert.Equal(["[domain-name:value = 'pay.ransom.example.test']", "[ipv4-addr:value = '203.0.113.7']"], indicators.Select(i => (string)i["pattern"]!).Order());
        var relationships = OfType(bundle, "relationship");
        Assert.All(relationships, r =>
        {
            Assert.Equal("related-to", (string)r["relationship_type"]!);
            Assert.Equal((string)incident["id"]!, (string)r["target_ref"]!);
        });
        var report = Assert.Single(OfType(bundle, "report"));
        var refs = report["object_refs"]!.AsArray().Select(r => (string)r!).ToHashSet();
        Assert.Contains((string)incident["id"]!, refs);
        Assert.All(indicators.Concat(relationships), o => Assert.Contains((string)o["id"]!, refs));
        Assert.Equal("TLP:GREEN", (string)Assert.Single(OfType(bundle, "marking-definition"))["name"]!);
    }

    [Theory]
    [InlineData(IncidentStatus.Reported, "suspected", "new")]
    [InlineData(IncidentStatus.Triaged, "suspected", "open")]
    [InlineData(IncidentStatus.Recovering, "successful-attempt", "open")]
    [InlineData(IncidentStatus.Closed, "successful-attempt", "closed")]
    [InlineData(IncidentStatus.Rejected, "false-positive", "closed")]
    [InlineData(IncidentStatus.Duplicate, "suspected", "closed")]
    public void AnIncidentsStatusBecomesItsDeterminationAndInvestigationStatus(IncidentStatus status, string determination, string investigation)
    {
        var bundle = StixWriter.Write(Payload(Incident(status, Severity.Unspecified)), Created, Modified);

        var core = Assert.Single(OfType(bundle, "incident"))["extensions"]!["extension-definition--ef765651-680c-498d-9894-99799f2fa126"]!.AsObject();
        Assert.Equal(determination, (string)core["determination"]!);
        Assert.Equal(investigation, (string)core["investigation_status"]!);
        Assert.False(core.ContainsKey("criticality"));
    }

    [Fact]
    public void APayloadWithoutOriginOrItemIsRefused()
    {
        var withoutOrigin = Payload(Advisory());
        withoutOrigin.Origin = null;
        var withdrawal = Payload(Advisory());
        withdrawal.Withdrawal = new SharedWithdrawal { Reason = "superseded" };

        Assert.Throws<ArgumentException>(() => StixWriter.Write(withoutOrigin, Created, Modified));
        Assert.Throws<ArgumentException>(() => StixWriter.Write(withdrawal, Created, Modified));
    }
}
