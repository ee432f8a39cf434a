using System.Text.Json.Nodes;
using Cirt.Server.Stix;
using static Cirt.Server.Tests.Stix.StixExamples;

namespace Cirt.Server.Tests.Stix;

/// <summary>
/// The validator against the STIX 2.1 specification's examples (valid) and against broken variants
/// of them, one rule each: every violation names the object and the rule.
/// </summary>
public sealed class StixValidatorTests
{
    private static IReadOnlyList<StixViolation> Validate(JsonObject bundle, StixValidationMode mode = StixValidationMode.Import) =>
        StixValidator.Validate(bundle.ToJsonString(), mode);

    [Fact]
    public void TheSpecificationsExamplesMakeAValidBundleToRead()
    {
        Assert.Empty(Validate(Bundle()));
    }

    [Fact]
    public void WrittenBundlesNeedMillisecondsWhereTheSpecificationsExampleHasNone()
    {
        var violation = Assert.Single(Validate(Bundle(), StixValidationMode.Export));

        Assert.Equal(Indicator, violation.Object);
        Assert.Contains("valid_from must be an RFC 3339 timestamp in UTC with millisecond precision", violation.Rule);
    }

    [Fact]
    public void WithMillisecondsTheExamplesMakeAValidBundleToWrite()
    {
        var bundle = Bundle();
        Object(bundle, Indicator)["valid_from"] = "2016-01-01T00:00:00.000Z";

        Assert.Empty(Validate(bundle, StixValidationMode.Export));
    }

    /// <summary>One broken rule per case: what is changed, which object is named, and words of the rule.</summary>
    private static readonly Dictionary<string, (Action<JsonObject> Break, string Object, string Rule)> Broken = new()
    {
        ["bundle type"] = (b => b["type"] = "collection", "bundle", "type must be \"bundle\""),
        ["bundle id not a UUID"] = (b => b["id"] = "bundle--1234", "bundle", "id must be \"bundle--\" and an RFC 4122 UUID"),
        ["bundle without objects"] = (b => b.Remove("objects"), "bundle", "objects must be a list"),
        ["a STIX 2.0 bundle"] = (b => b["spec_version"] = "2.0", "bundle", "STIX 2.0"),
        ["an object that is not an object"] = (b => b["objects"]!.AsArray().Add("indicator"), "objects[8]", "must be a JSON object"),
        ["type not lower case"] = (b => Object(b, Malware)["type"] = "Malware", Malware, "type must be 3 to 250 lower-case letters"),
        ["id of another type"] = (b => AddTool(b, "malware--6b6f3b3e-2f0c-4d5e-9a1b-0c2d3e4f5a6b"), "malware--6b6f3b3e-2f0c-4d5e-9a1b-0c2d3e4f5a6b", "id must be \"tool--\""),
        ["id without a UUID"] = (b => AddTool(b, "tool--nmap"), "tool--nmap", "RFC 4122 UUID"),
        ["id of UUID version 1"] = (b => AddTool(b, "tool--31b940d4-6f7f-159a-80ea-9c1f17b5891b"),
            "tool--31b940d4-6f7f-159a-80ea-9c1f17b5891b", "version 4 UUID, or 5 (it holds version 1)"),
        ["id of another UUID variant"] = (b => AddTool(b, "tool--31b940d4-6f7f-459a-c0ea-9c1f17b5891b"), "tool--31b940d4-6f7f-459a-c0ea-9c1f17b5891b", "RFC 4122 UUID"),
        ["spec_version missing"] = (b => Object(b, Malware).Remove("spec_version"), Malware, "spec_version \"2.1\" is required"),
        ["spec_version 2.0"] = (b => Object(b, Malware)["spec_version"] = "2.0", Malware, "spec_version must be \"2.1\" (it is \"2.0\")"),
        ["created missing"] = (b => Object(b, Malware).Remove("created"), Malware, "created is required"),
        ["modified missing"] = (b => Object(b, Malware).Remove("modified"), Malware, "modified is required"),
        ["created not in UTC"] = (b => Object(b, Malware)["created"] = "2016-04-06T22:07:09.000+02:00", Malware, "created must be an RFC 3339 timestamp in UTC"),
        ["created not a date"] = (b => Object(b, Malware)["created"] = "2016-02-30T20:07:09.000Z", Malware, "created must be an RFC 3339 timestamp"),
        ["modified before created"] = (b => Object(b, Malware)["modified"] = "2016-04-06T20:07:08.999Z", Malware, "modified must not be before created"),
        ["identity without name"] = (b => Object(b, Identity).Remove("name"), Identity, "name is required on a identity"),
        ["report without published"] = (b => Object(b, Report).Remove("published"), Report, "published is required on a report"),
        ["report without name"] = (b => Object(b, Report)["name"] = "  ", Report, "name is required on a report"),
        ["report with empty object_refs"] = (b => Object(b, Report)["object_refs"] = new JsonArray(), Report, "object_refs is required on a report"),
        ["indicator without pattern"] = (b => Object(b, Indicator).Remove("pattern"), Indicator, "pattern is required on a indicator"),
        ["indicator without pattern_type"] = (b => Object(b, Indicator).Remove("pattern_type"), Indicator, "pattern_type is required on a indicator"),
        ["indicator without valid_from"] = (b => Object(b, Indicator).Remove("valid_from"), Indicator, "valid_from is required on a indicator"),
        ["indicator valid until before it is valid from"] = (b => Object(b, Indicator)["valid_until"] = "2015-12-31T00:00:00Z", Indicator, "valid_until must be after valid_from"),
        ["vulnerability without name"] = (b => Object(b, Vulnerability).Remove("name"), Vulnerability, "name is required on a vulnerability"),
        ["course-of-action without name"] = (b => Object(b, CourseOfAction).Remove("name"), CourseOfAction, "name is required on a course-of-action"),
        ["malware without is_family"] = (b => Object(b, Malware).Remove("is_family"), Malware, "is_family is required on a malware"),
        ["relationship without relationship_type"] = (b => Object(b, Relationship).Remove("relationship_type"), Relationship, "relationship_type is required"),
        ["relationship without source"] = (b => Object(b, Relationship).Remove("source_ref"), Relationship, "source_ref is required on a relationship"),
        ["relationship to an object not in the bundle"] = (b => Object(b, Relationship)["target_ref"] = "malware--5e1a9a2c-0f5e-4d6e-9d3a-9b0d2d4f6e11",
            Relationship, "target_ref references malware--5e1a9a2c-0f5e-4d6e-9d3a-9b0d2d4f6e11, which is not in the bundle"),
        ["report referring to an object not in the bundle"] = (b => Object(b, Report)["object_refs"]!.AsArray().Add("campaign--83422c77-904c-4dc1-aff5-5c38f3a2c55c"),
            Report, "object_refs references campaign--83422c77-904c-4dc1-aff5-5c38f3a2c55c, which is not in the bundle"),
        ["created_by_ref not in the bundle"] = (b => Object(b, Malware)["created_by_ref"] = "identity--a463ffb3-1bd9-4d94-b02d-74e4f1658283",
            Malware, "created_by_ref references identity--a463ffb3-1bd9-4d94-b02d-74e4f1658283"),
        ["created_by_ref to something not an identity"] = (b => Object(b, Malware)["created_by_ref"] = Indicator, Malware, "created_by_ref must reference a identity"),
        ["a marking that is not a marking definition"] = (b => Object(b, Malware)["object_marking_refs"] = new JsonArray(Identity), Malware, "object_marking_refs must reference a marking-definition"),
        ["an unknown marking not in the bundle"] = (b => Object(b, Malware)["object_marking_refs"] = new JsonArray("marking-definition--4a1b3f05-22fe-4b3d-8f6e-1d1c3a3a9c10"),
            Malware, "object_marking_refs references marking-definition--4a1b3f05-22fe-4b3d-8f6e-1d1c3a3a9c10, which is not in the bundle"),
        ["a granular marking not in the bundle"] = (b => Object(b, Malware)["granular_markings"] = new JsonArray(new JsonObject
            {
                ["marking_ref"] = "marking-definition--4a1b3f05-22fe-4b3d-8f6e-1d1c3a3a9c10", ["selectors"] = new JsonArray("description"),
            }), Malware, "marking_ref references marking-definition--4a1b3f05-22fe-4b3d-8f6e-1d1c3a3a9c10"),
        ["a reference that is no id"] = (b => Object(b, Relationship)["source_ref"] = "the indicator", Relationship, "source_ref must hold STIX ids"),
        ["an empty list of references"] = (b => Object(b, Malware)["object_marking_refs"] = new JsonArray(), Malware, "object_marking_refs must be a non-empty list of ids"),
        ["TLP 2.0 value against its id"] = (b => Object(b, Green)["extensions"]!["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]!["tlp_2_0"] = "amber",
            Green, "tlp_2_0 must be \"green\" for this id (it is \"amber\")"),
        ["TLP 2.0 name against its id"] = (b => Object(b, Green)["name"] = "TLP:AMBER", Green, "name must be \"TLP:GREEN\" for this id (it is \"TLP:AMBER\")"),
        ["TLP 2.0 id without its extension"] = (b => Object(b, Green).Remove("extensions"), Green, "this TLP 2.0 id needs the extension"),
        ["TLP 2.0 extension on another id"] = (b =>
        {
            Object(b, Green)["id"] = "marking-definition--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
            foreach (var o in b["objects"]!.AsArray().Where(o => o!["object_marking_refs"] is not null))
            {
                o!["object_marking_refs"] = new JsonArray("marking-definition--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d");
            }
        }, "marking-definition--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", "a TLP 2.0 marking definition must have one of the five OASIS ids"),
        ["TLP 1.0 id with another definition"] = (b => b["objects"]!.AsArray().Add(new JsonObject
            {
                ["type"] = "marking-definition", ["spec_version"] = "2.1", ["id"] = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
                ["created"] = "2017-01-20T00:00:00.000Z", ["definition_type"] = "tlp", ["definition"] = new JsonObject { ["tlp"] = "green" },
            }), "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "definition {\"tlp\": \"white\"}"),
        ["a duplicate property"] = (b => b["objects"]!.AsArray().Add(new JsonObject { ["x"] = 1 }), "bundle", "appears twice"),
    };

    /// <summary>Adds a valid tool object, but for its <paramref name="id"/>.</summary>
    private static void AddTool(JsonObject bundle, string id) => bundle["objects"]!.AsArray().Add(new JsonObject
    {
        ["type"] = "tool", ["spec_version"] = "2.1", ["id"] = id, ["created"] = "2016-04-06T20:03:48.000Z", ["modified"] = "2016-04-06T20:03:48.000Z", ["name"] = "nmap",
    });

    public static TheoryData<string> BrokenRules() => [.. Broken.Keys];

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void EachBrokenRuleIsReportedWithItsObjectAndRule(string rule)
    {
        var (breakIt, expectedObject, expectedRule) = Broken[rule];
        var bundle = Bundle();
        breakIt(bundle);
        var json = rule == "a duplicate property" ? bundle.ToJsonString().Replace("{\"x\":1}", "{\"x\":1,\"x\":2}", StringComparison.Ordinal) : bundle.ToJsonString();

        var violations = StixValidator.Validate(json, StixValidationMode.Import);

        Assert.Contains(violations, v => v.Object == expectedObject && v.Rule.Contains(expectedRule, StringComparison.Ordinal));
        Assert.All(violations, v => Assert.Equal(expectedObject, v.Object));
    }

    [Fact]
    public void AUuidVersion5IsReadButNeverWritten()
    {
        var bundle = Bundle();
        Object(bundle, Report)["id"] = "report--84e4d88f-44ea-5bcd-bbf3-b2c1c320bcb3";
        Object(bundle, Indicator)["valid_from"] = "2016-01-01T00:00:00.000Z";

        Assert.Empty(Validate(bundle));
        var written = Assert.Single(Validate(bundle, StixValidationMode.Export));
        Assert.Equal("report--84e4d88f-44ea-5bcd-bbf3-b2c1c320bcb3", written.Object);
        Assert.Equal("id must hold a version 4 UUID (it holds version 5)", written.Rule);
    }

    [Fact]
    public void PredefinedTlpMarkingsResolveOnImportWithoutTheirObjectsButNotInWhatWeWrite()
    {
        var bundle = Bundle();
        Object(bundle, Indicator)["valid_from"] = "2016-01-01T00:00:00.000Z";
        Object(bundle, Malware)["object_marking_refs"] = new JsonArray(
            "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1");

        Assert.Empty(Validate(bundle));
        var written = Validate(bundle, StixValidationMode.Export);
        Assert.Equal(2, written.Count);
        Assert.All(written, v => Assert.Equal(Malware, v.Object));
        Assert.Contains(written, v => v.Rule.Contains("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82, which is not in the bundle", StringComparison.Ordinal));
    }

    [Fact]
    public void AnyFractionOfASecondIsReadButOnlyMillisecondsAreWritten()
    {
        var bundle = Bundle();
        Object(bundle, Indicator)["valid_from"] = "2016-01-01T00:00:00.000Z";
        Object(bundle, Malware)["modified"] = "2016-04-06T20:07:09.123456Z";

        Assert.Empty(Validate(bundle));
        var written = Assert.Single(Validate(bundle, StixValidationMode.Export));
        Assert.Equal(Malware, written.Object);
        Assert.StartsWith("modified must be", written.Rule);
    }

    [Fact]
    public void EveryViolationIsReportedNotOnlyTheFirst()
    {
        var bundle = Bundle();
        Object(bundle, Identity).Remove("name");
        Object(bundle, Indicator).Remove("pattern");
        Object(bundle, Report)["published"] = "yesterday";

        var violations = Validate(bundle);

        Assert.Equal([Identity, Indicator, Report], violations.Select(v => v.Object).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"type\": \"bundle\"")]
    [InlineData("{\"type\": \"bundle\", \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\", \"objects\": [NaN]}")]
    public void TextThatIsNotABundleIsRefusedAsTheBundle(string json)
    {
        var violation = Assert.Single(StixValidator.Validate(json, StixValidationMode.Import));

        Assert.Equal("bundle", violation.Object);
    }

    [Fact]
    public void ObservablesNeedNoTimestampsButTheirOwnProperties()
    {
        var bundle = Bundle();
        Object(bundle, Indicator)["valid_from"] = "2016-01-01T00:00:00.000Z";
        bundle["objects"]!.AsArray().Add(new JsonObject { ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["id"] = "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", ["value"] = "198.51.100.3" });
        bundle["objects"]!.AsArray().Add(new JsonObject { ["type"] = "domain-name", ["id"] = "domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5" });

        var violation = Assert.Single(Validate(bundle));

        Assert.Equal("domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5", violation.Object);
        Assert.Equal("value is required on a domain-name", violation.Rule);
    }
}
