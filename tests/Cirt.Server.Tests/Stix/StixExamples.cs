using System.Text.Json.Nodes;

namespace Cirt.Server.Tests.Stix;

/// <summary>
/// Test data written after the examples of the STIX 2.1 specification (OASIS, 2021): its identity,
/// indicator, malware, relationship, report, vulnerability and course-of-action examples, put in one
/// bundle whose references resolve, and marked TLP:GREEN by the TLP 2.0 marking definition.
/// </summary>
public static class StixExamples
{
    public const string Identity = "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff";
    public const string Indicator = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    public const string Malware = "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b";
    public const string Relationship = "relationship--57b56a43-b8b0-4cba-9deb-34e3e1faed9e";
    public const string Report = "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3";
    public const string Vulnerability = "vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061";
    public const string CourseOfAction = "course-of-action--70b3d5f6-374b-4488-8688-729b6eedac5b";
    public const string Green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";

    /// <summary>A fresh copy of the bundle, for a test to break one rule of.</summary>
    public static JsonObject Bundle() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>The object of the bundle with <paramref name="id"/>.</summary>
    public static JsonObject Object(JsonObject bundle, string id) =>
        bundle["objects"]!.AsArray().Single(o => (string)o!["id"]! == id)!.AsObject();

    private const string Json = """
        {
          "type": "bundle",
          "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
          "objects": [
            {
              "type": "marking-definition",
              "spec_version": "2.1",
              "id": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
              "created": "2022-10-01T00:00:00.000Z",
              "name": "TLP:GREEN",
              "extensions": {
                "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
                  "extension_type": "property-extension",
                  "tlp_2_0": "green"
                }
              }
            },
            {
              "type": "identity",
              "spec_version": "2.1",
              "id": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
              "created": "2016-04-06T20:03:00.000Z",
              "modified": "2016-04-06T20:03:00.000Z",
              "name": "ACME Widget, Inc.",
              "identity_class": "organization"
            },
            {
              "type": "indicator",
              "spec_version": "2.1",
              "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
              "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
              "created": "2016-04-06T20:03:48.000Z",
              "modified": "2016-04-06T20:03:48.000Z",
              "indicator_types": ["malicious-activity"],
              "name": "Poison Ivy Malware",
              "description": "This file is part of Poison Ivy",
              "pattern": "[ file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877' ]",
              "pattern_type": "stix",
              "valid_from": "2016-01-01T00:00:00Z",
              "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
            },
            {
              "type": "malware",
              "spec_version": "2.1",
              "id": "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
              "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
              "created": "2016-04-06T20:07:09.000Z",
              "modified": "2016-04-06T20:07:09.000Z",
              "name": "Poison Ivy",
              "malware_types": ["remote-access-trojan"],
              "is_family": false,
              "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
            },
            {
              "type": "relationship",
              "spec_version": "2.1",
              "id": "relationship--57b56a43-b8b0-4cba-9deb-34e3e1faed9e",
              "created": "2016-04-06T20:06:37.000Z",
              "modified": "2016-04-06T20:06:37.000Z",
              "relationship_type": "indicates",
              "source_ref": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
              "target_ref": "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
              "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
            },
            {
              "type": "vulnerability",
              "spec_version": "2.1",
              "id": "vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
              "created": "2016-05-12T08:17:27.000Z",
              "modified": "2016-05-12T08:17:27.000Z",
              "name": "CVE-2016-1234",
              "external_references": [
                { "source_name": "cve", "external_id": "CVE-2016-1234" }
              ],
              "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
            },
            {
              "type": "course-of-action",
              "spec_version": "2.1",
              "id": "course-of-action--70b3d5f6-374b-4488-8688-729b6eedac5b",
              "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
              "created": "2016-04-06T20:03:48.000Z",
              "modified": "2016-04-06T20:03:48.000Z",
              "name": "Add TCP port 80 Filter Rule",
              "description": "This is how to add a filter rule to block inbound access to TCP port 80 to the existing UDP 1434 filter ...",
              "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
            },
            {
              "type": "report",
              "spec_version": "2.1",
              "id": "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3",
              "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
              "created": "2015-12-21T19:59:11.000Z",
              "modified": "2015-12-21T19:59:11.000Z",
              "name": "The Black Vine Cyberespionage Group",
              "description": "A simple report with an indicator and campaign",
              "published": "2016-01-20T17:00:00.000Z",
              "report_types": ["campaign"],
              "object_refs": [
                "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
                "relationship--57b56a43-b8b0-4cba-9deb-34e3e1faed9e",
                "vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
                "course-of-action--70b3d5f6-374b-4488-8688-729b6eedac5b"
              ],
              "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
            }
          ]
        }
        """;
}
