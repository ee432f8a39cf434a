using System.Text.Json.Nodes;
using Cirt.Grains.Incidents;
using Cirt.Server.Stix;
using static Cirt.Server.Tests.Stix.StixExamples;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Stix;

/// <summary>Bundles from other tools and from Cirt read as draft advisory content; the TLP never looser than the bundle's.</summary>
public sealed class StixReaderTests
{
    private const string Tlp1White = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    private const string Tlp1Green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    private const string Tlp1Amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    private const string Tlp1Red = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
    private const string Tlp2Clear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    private const string Tlp2Amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    private const string Tlp2AmberStrict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    private const string Tlp2Red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

    [Fact]
    public void AnExportedAdvisoryReadsBackWithItsTlpTitleSummaryCvesIndicatorsAndActions()
    {
        var shared = StixPayloads.Advisory(Proto.Tlp.AmberStrict);
        var bundle = StixWriter.Write(StixPayloads.Payload(shared), StixPayloads.Created, StixPayloads.Modified);

        var read = StixReader.Read(bundle);

        var content = read.Content;
        Assert.Equal(Tlp.AmberStrict, content.Tlp);
        Assert.Equal(shared.Title, content.Title);
        Assert.Equal(shared.Summary, content.Summary);
        Assert.Equal(shared.AffectedProducts, content.AffectedProducts);
        Assert.Equal(shared.Cves.Select(c => (c.CveId, c.CvssScore)), content.Cves.Select(c => (c.CveId, c.CvssScore)));
        Assert.Equal(
            shared.Indicators.Select(i => ((ObservableType)(int)i.Type, i.Value, i.Comment)).Order(),
            content.Indicators.Select(i => (i.Type, i.Value, i.Comment)).Order());
        Assert.Equal(shared.RecommendedActions, content.RecommendedActions);
        Assert.Empty(content.TargetSectors);
        Assert.Empty(content.TargetStakeholders);
        Assert.Empty(read.Skipped);
    }

    [Fact]
    public void AnExportedIncidentReadsAsADraftWithItsIndicatorsAndTheIncidentObjectListed()
    {
        var bundle = StixWriter.Write(StixPayloads.Payload(StixPayloads.Incident()), StixPayloads.Created, StixPayloads.Modified);

        var read = StixReader.Read(bundle);

        Assert.Equal("Ransomware on SCADA HMI", read.Content.Title);
        Assert.Equal(Tlp.Green, read.Content.Tlp);
        Assert.Equal(["203.0.113.7", "pay.ransom.example.test"], read.Content.Indicators.Select(i => i.Value).Order());
        Assert.Equal(["1 incident object", "2 relationship objects"], read.Skipped);
    }

    [Fact]
    public void TheSpecificationsExampleReadsWithWhatItCarriesAndListsTheRest()
    {
        var read = StixReader.Read(Bundle().ToJsonString());

        Assert.Equal("The Black Vine Cyberespionage Group", read.Content.Title);
        Assert.Equal("A simple report with an indicator and campaign", read.Content.Summary);
        Assert.Equal(Tlp.Green, read.Content.Tlp);
        var indicator = Assert.Single(read.Content.Indicators);
        Assert.Equal(ObservableType.FileHash, indicator.Type);
        Assert.Equal("4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877", indicator.Value);
        Assert.Equal("This file is part of Poison Ivy", indicator.Comment);
        Assert.Equal(("CVE-2016-1234", 0.0), (read.Content.Cves.Single().CveId, read.Content.Cves.Single().CvssScore));
        Assert.Equal(["This is how to add a filter rule to block inbound access to TCP port 80 to the existing UDP 1434 filter ..."], read.Content.RecommendedActions);
        Assert.Equal(
            ["CVE-2016-1234: no CVSS score in the bundle; set to 0.0 for the coordinator to fill in", "1 malware object", "1 relationship object"],
            read.Skipped);
    }

    public static TheoryData<string[], Tlp> Markings() => new()
    {
        { [Tlp2Clear], Tlp.Clear },
        { [Green], Tlp.Green },
        { [Tlp2Amber], Tlp.Amber },
        { [Tlp2AmberStrict], Tlp.AmberStrict },
        { [Tlp2Red], Tlp.Red },
        { [Tlp1White], Tlp.Clear },
        { [Tlp1Green], Tlp.Green },
        { [Tlp1Amber], Tlp.Amber },
        { [Tlp1Red], Tlp.Red },
        { ["marking-definition--826578e1-40ad-459f-bc73-ede076f81f37"], Tlp.AmberStrict },
        { [Tlp1White, Tlp2Amber, Green], Tlp.Amber },
        { [Tlp2AmberStrict, Tlp1Amber], Tlp.AmberStrict },
    };

    [Theory]
    [MemberData(nameof(Markings))]
    public void TlpMarkingsByTheirWellKnownIdsGiveTheMostRestrictiveLevel(string[] markings, Tlp expected)
    {
        var bundle = Bundle();
        foreach (var o in bundle["objects"]!.AsArray().Where(o => o!["object_marking_refs"] is not null))
        {
            o!["object_marking_refs"] = new JsonArray(markings.Select(m => (JsonNode)m!).ToArray());
        }

        Assert.Equal(expected, StixReader.Read(bundle.ToJsonString()).Content.Tlp);
    }

    [Fact]
    public void OpenCtisAmberStrictStatementIsAmberStrict()
    {
        var bundle = Bundle();
        bundle["objects"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "marking-definition", ["spec_version"] = "2.1", ["id"] = "marking-definition--0f6a3e4d-2b5c-4a1e-9f8d-7c6b5a493827",
            ["created"] = "2024-01-01T00:00:00.000Z", ["definition_type"] = "statement", ["definition"] = new JsonObject { ["statement"] = "custom" },
            ["name"] = "TLP:AMBER+STRICT", ["x_opencti_definition_type"] = "TLP", ["x_opencti_definition"] = "TLP:AMBER+STRICT",
        });
        Object(bundle, Report)["object_marking_refs"] = new JsonArray("marking-definition--0f6a3e4d-2b5c-4a1e-9f8d-7c6b5a493827");

        var read = StixReader.Read(bundle.ToJsonString());

        Assert.Equal(Tlp.AmberStrict, read.Content.Tlp);
    }

    [Theory]
    [InlineData("tlp:amber", Tlp.Amber)]
    [InlineData("TLP:AMBER+STRICT", Tlp.AmberStrict)]
    [InlineData("tlp:white", Tlp.Clear)]
    [InlineData("tlp:clear", Tlp.Clear)]
    [InlineData("tlp:red", Tlp.Red)]
    public void MispTlpLabelsCountAsMarkings(string label, Tlp expected)
    {
        var bundle = Bundle();
        foreach (var o in bundle["objects"]!.AsArray())
        {
            o!.AsObject().Remove("object_marking_refs");
        }

        Object(bundle, Report)["labels"] = new JsonArray("misp:event-type=\"incident\"", label);

        Assert.Equal(expected, StixReader.Read(bundle.ToJsonString()).Content.Tlp);
    }

    [Fact]
    public void ATlpLabelLooserThanAMarkingDoesNotLoosenIt()
    {
        var bundle = Bundle();
        Object(bundle, Indicator)["labels"] = new JsonArray("tlp:clear");

        Assert.Equal(Tlp.Green, StixReader.Read(bundle.ToJsonString()).Content.Tlp);
    }

    [Fact]
    public void AnUnknownMarkingMakesItRedAndSaysWhy()
    {
        var bundle = Bundle();
        bundle["objects"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "marking-definition", ["spec_version"] = "2.1", ["id"] = "marking-definition--4a1b3f05-22fe-4b3d-8f6e-1d1c3a3a9c10",
            ["created"] = "2024-01-01T00:00:00.000Z", ["definition_type"] = "statement", ["definition"] = new JsonObject { ["statement"] = "Copyright ACME" },
        });
        Object(bundle, Malware)["object_marking_refs"] = new JsonArray("marking-definition--4a1b3f05-22fe-4b3d-8f6e-1d1c3a3a9c10");

        var read = StixReader.Read(bundle.ToJsonString());

        Assert.Equal(Tlp.Red, read.Content.Tlp);
        Assert.Equal("marking-definition--4a1b3f05-22fe-4b3d-8f6e-1d1c3a3a9c10: not a TLP marking this server knows; the draft is TLP:RED", read.Skipped[0]);
    }

    [Fact]
    public void AnUnknownTlpLabelMakesItRed()
    {
        var bundle = Bundle();
        Object(bundle, Report)["labels"] = new JsonArray("tlp:ex:chr");

        var read = StixReader.Read(bundle.ToJsonString());

        Assert.Equal(Tlp.Red, read.Content.Tlp);
        Assert.Contains("the label \"tlp:ex:chr\": not a TLP marking this server knows; the draft is TLP:RED", read.Skipped);
    }

    [Fact]
    public void ABundleWithoutAnyMarkingIsRedUntilACoordinatorSaysOtherwise()
    {
        var bundle = Bundle();
        foreach (var o in bundle["objects"]!.AsArray())
        {
            o!.AsObject().Remove("object_marking_refs");
        }

        var read = StixReader.Read(bundle.ToJsonString());

        Assert.Equal(Tlp.Red, read.Content.Tlp);
        Assert.Equal("no TLP marking or label in the bundle; the draft is TLP:RED until a coordinator sets its TLP", read.Skipped[0]);
    }

    [Fact]
    public void WithoutAReportTheFirstNamedObjectGivesTheTitle()
    {
        var bundle = Bundle();
        bundle["objects"]!.AsArray().Remove(bundle["objects"]!.AsArray().Single(o => (string)o!["id"]! == Report));

        var read = StixReader.Read(bundle.ToJsonString());

        Assert.Equal("Poison Ivy Malware", read.Content.Title);
        Assert.Equal("This file is part of Poison Ivy", read.Content.Summary);
    }

    [Fact]
    public void PatternsThatAreNotEqualitiesOrNotStixAreListedNotRead()
    {
        var bundle = Bundle();
        var objects = bundle["objects"]!.AsArray();
        objects.Add(IndicatorWith("indicator--1d2b1c77-6e4d-4b37-a3fb-0d4a5f7e8c91", "[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'x.example.test']", "stix"));
        objects.Add(IndicatorWith("indicator--2e3c2d88-7f5e-4c48-b40c-1e5b6a8f9da2", "title: Suspicious PowerShell", "sigma"));
        objects.Add(IndicatorWith("indicator--3f4d3e99-8a6f-4d59-851d-2f6c7b9a0eb3", "[ipv4-addr:value = '999.1.1.1' OR domain-name:value = 'ok.example.test']", "stix"));

        var read = StixReader.Read(bundle.ToJsonString());

        Assert.Equal(["4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877", "ok.example.test"], read.Content.Indicators.Select(i => i.Value));
        Assert.Contains("indicator--1d2b1c77-6e4d-4b37-a3fb-0d4a5f7e8c91: pattern not read: only observation expressions joined by OR are read", read.Skipped);
        Assert.Contains("1 indicator with pattern_type \"sigma\" (only STIX patterns are read)", read.Skipped);
        Assert.Contains("indicator--3f4d3e99-8a6f-4d59-851d-2f6c7b9a0eb3: '999.1.1.1' is not an IPv4 or IPv6 address", read.Skipped);
    }

    [Fact]
    public void AVulnerabilityWithoutACveIsListedAndOtherTypesAreCounted()
    {
        var bundle = Bundle();
        var objects = bundle["objects"]!.AsArray();
        objects.Add(new JsonObject
        {
            ["type"] = "vulnerability", ["spec_version"] = "2.1", ["id"] = "vulnerability--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
            ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = "2024-01-01T00:00:00.000Z", ["name"] = "Default password on the web UI",
        });
        foreach (var id in new[] { "attack-pattern--7e33a43e-e34b-40ec-89da-36c9bb2cacd5", "attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061" })
        {
            objects.Add(new JsonObject
            {
                ["type"] = "attack-pattern", ["spec_version"] = "2.1", ["id"] = id,
                ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = "2024-01-01T00:00:00.000Z", ["name"] = "Spearphishing",
            });
        }

        var read = StixReader.Read(bundle.ToJsonString());

        Assert.Contains("vulnerability--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d (\"Default password on the web UI\"): a vulnerability without a CVE id", read.Skipped);
        Assert.Contains("2 attack-pattern objects", read.Skipped);
        Assert.Equal(["CVE-2016-1234"], read.Content.Cves.Select(c => c.CveId));
    }

    [Fact]
    public void TheNewestVersionOfAnObjectIsReadAndRevokedObjectsAreNot()
    {
        var bundle = Bundle();
        var newer = JsonNode.Parse(Object(bundle, Report).ToJsonString())!.AsObject();
        newer["modified"] = "2016-02-01T00:00:00.000Z";
        newer["name"] = "The Black Vine Cyberespionage Group, revised";
        bundle["objects"]!.AsArray().Insert(0, newer);
        Object(bundle, CourseOfAction)["revoked"] = true;

        var read = StixReader.Read(bundle.ToJsonString());

        Assert.Equal("The Black Vine Cyberespionage Group, revised", read.Content.Title);
        Assert.Empty(read.Content.RecommendedActions);
        Assert.Contains("1 revoked object (withdrawn by their producer)", read.Skipped);
    }

    [Fact]
    public void ALongTitleIsShortenedAndSaidSo()
    {
        var bundle = Bundle();
        Object(bundle, Report)["name"] = new string('T', 450);

        var read = StixReader.Read(bundle.ToJsonString());

        Assert.Equal(200, read.Content.Title.Length);
        Assert.EndsWith("…", read.Content.Title);
        Assert.Contains("the title was shortened from 450 to 200 characters", read.Skipped);
    }

    [Fact]
    public void ABundleThatBreaksARuleIsRefusedWithItsViolations()
    {
        var bundle = Bundle();
        Object(bundle, Indicator).Remove("pattern");

        var refused = Assert.Throws<StixBundleRejectedException>(() => StixReader.Read(bundle.ToJsonString()));

        var violation = Assert.Single(refused.Violations);
        Assert.Equal(Indicator, violation.Object);
        Assert.Equal("pattern is required on a indicator", violation.Rule);
    }

    [Fact]
    public void AnEmptyBundleIsRefused()
    {
        var refused = Assert.Throws<StixBundleRejectedException>(() =>
            StixReader.Read("""{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": []}"""));

        Assert.Equal("bundle: objects is empty: there is nothing to import", Assert.Single(refused.Violations).ToString());
    }

    private static JsonObject IndicatorWith(string id, string pattern, string language) => new()
    {
        ["type"] = "indicator", ["spec_version"] = "2.1", ["id"] = id, ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = "2024-01-01T00:00:00.000Z",
        ["pattern"] = pattern, ["pattern_type"] = language, ["valid_from"] = "2024-01-01T00:00:00Z", ["object_marking_refs"] = new JsonArray(Green),
    };
}
