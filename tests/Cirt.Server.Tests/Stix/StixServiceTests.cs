using System.Text.Json.Nodes;
using Cirt.Contracts.V1;
using Cirt.Server.Stix;
using Google.Rpc;
using Grpc.Core;

namespace Cirt.Server.Tests.Stix;

/// <summary>cirt.v1.StixService over real gRPC: export advisories and incidents, import bundles as drafts.</summary>
[Collection(ServerCollection.Name)]
public sealed class StixServiceTests(ServerFixture server)
{
    private StixService.StixServiceClient Stix(string? key = null) => new(server.Invoker(key ?? server.AnalystKey));

    private static AdvisoryContent VpnAdvisory() => new()
    {
        Title = "ExampleVPN gateways exploited through CVE-2026-1001",
        Summary = "Unauthenticated code execution on ExampleVPN gateways is exploited in the wild.",
        Tlp = Tlp.Amber,
        AffectedProducts = { "ExampleVPN Gateway 9.1" },
        Cves = { new AffectedCve { CveId = "CVE-2026-1001", CvssScore = 9.8 } },
        Indicators =
        {
            new Observable { Type = ObservableType.IpAddress, Value = "198.51.100.23", Comment = "scanning and exploitation" },
            new Observable { Type = ObservableType.Domain, Value = "update.example-vpn.test" },
            new Observable { Type = ObservableType.FileHash, Value = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f" },
        },
        RecommendedActions = { "Install ExampleVPN 9.2.4 or later.", "Reset the credentials stored on the gateway." },
        TargetSectors = { "ENERGY" },
    };

    private static List<JsonObject> Objects(string bundle) =>
        JsonNode.Parse(bundle)!["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();

    [Fact]
    public async Task AnExportedDraftImportsBackAsANewDraftWithTheSameContent()
    {
        var original = (await server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = VpnAdvisory() })).Advisory;

        var bundle = (await Stix().ExportAdvisoryAsync(new ExportAdvisoryRequest { Id = original.Id })).Bundle;
        Assert.Empty(StixValidator.Validate(bundle, StixValidationMode.Export));
        var report = Objects(bundle).Single(o => (string)o["type"]! == "report");
        Assert.Equal(original.Content.Title, (string)report["name"]!);
        Assert.Equal(original.Id, (string)report["external_references"]![0]!["external_id"]!);
        Assert.Equal("cirt-local", (string)Objects(bundle).Single(o => (string)o["type"]! == "identity")["name"]!);

        var imported = await Stix(server.CoordinatorKey).ImportBundleAsync(new ImportBundleRequest { Bundle = bundle });

        Assert.Empty(imported.Skipped);
        var draft = imported.Advisory;
        Assert.NotEqual(original.Id, draft.Id);
        Assert.Equal(AdvisoryStatus.Draft, draft.Status);
        var expected = original.Content.Clone();
        expected.TargetSectors.Clear();
        Assert.Equal(expected, draft.Content);
        var stored = (await server.Advisories().GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory;
        Assert.Equal(draft.Content, stored.Content);
        Assert.Equal(Severity.Critical, stored.Content.Cves.Single().Severity);
    }

    [Fact]
    public async Task ANewVersionOfAnAdvisoryExportsAsNewVersionsOfTheSameObjects()
    {
        var created = (await server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = VpnAdvisory() })).Advisory;
        var first = Objects((await Stix().ExportAdvisoryAsync(new ExportAdvisoryRequest { Id = created.Id })).Bundle);

        var changed = VpnAdvisory();
        changed.Summary += " A fix is out.";
        var updated = (await server.Advisories().UpdateAdvisoryAsync(new UpdateAdvisoryRequest { Id = created.Id, Content = changed, ExpectedVersion = created.Version })).Advisory;
        var second = Objects((await Stix().ExportAdvisoryAsync(new ExportAdvisoryRequest { Id = created.Id })).Bundle);

        Assert.Equal(first.Select(o => (string)o["id"]!), second.Select(o => (string)o["id"]!));
        var before = first.Single(o => (string)o["type"]! == "report");
        var after = second.Single(o => (string)o["type"]! == "report");
        Assert.Equal(StixTime.Format(created.CreatedAt.ToDateTimeOffset()), (string)before["created"]!);
        Assert.Equal((string)before["created"]!, (string)after["created"]!);
        Assert.Equal(StixTime.Format(created.UpdatedAt.ToDateTimeOffset()), (string)before["modified"]!);
        Assert.Equal(StixTime.Format(updated.UpdatedAt.ToDateTimeOffset()), (string)after["modified"]!);
        Assert.EndsWith("A fix is out.", (string)after["description"]!);
    }

    [Fact]
    public async Task AnUnknownAdvisoryIsNotFoundAndAMissingIdIsInvalid()
    {
        await RpcAssert.FailsWith(StatusCode.NotFound, () => Stix().ExportAdvisoryAsync(new ExportAdvisoryRequest { Id = "ADV-2099-9999" }).ResponseAsync);
        Assert.Equal(["id"], await RpcAssert.InvalidFields(() => Stix().ExportAdvisoryAsync(new ExportAdvisoryRequest()).ResponseAsync));
    }

    [Fact]
    public async Task AnIncidentExportsWithItsSharedTimelineOnly()
    {
        var trackingId = (await server.Reporting(server.AnalystKey).SubmitIncidentAsync(Reports.Valid())).TrackingId;
        await server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Backups restored on both HMIs", Visibility = TimelineVisibility.Shared });
        await server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "internal: suspect the integrator", Visibility = TimelineVisibility.Internal });

        var bundle = (await Stix().ExportIncidentAsync(new ExportIncidentRequest { TrackingId = trackingId })).Bundle;

        Assert.Empty(StixValidator.Validate(bundle, StixValidationMode.Export));
        var incident = Objects(bundle).Single(o => (string)o["type"]! == "incident");
        Assert.Equal("Ransomware on SCADA HMI", (string)incident["name"]!);
        Assert.Equal("new", (string)incident["extensions"]![StixWriter.IncidentCoreExtension]!["investigation_status"]!);
        Assert.Contains("Backups restored on both HMIs", (string)incident["description"]!);
        Assert.DoesNotContain("suspect the integrator", bundle);
        Assert.Equal(
            "[ipv4-addr:value = '203.0.113.7']",
            (string)Objects(bundle).Single(o => (string)o["type"]! == "indicator")["pattern"]!);
        Assert.Contains(Objects(bundle), o => (string)o["type"]! == "report");
    }

    [Fact]
    public async Task ARedIncidentDoesNotLeaveAsStix()
    {
        var report = Reports.Valid();
        report.Tlp = Tlp.Red;
        var trackingId = (await server.Reporting(server.AnalystKey).SubmitIncidentAsync(report)).TrackingId;

        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Stix().ExportIncidentAsync(new ExportIncidentRequest { TrackingId = trackingId }).ResponseAsync);

        Assert.Contains("TLP:RED", refused.Status.Detail);
    }

    [Fact]
    public async Task AnUnknownIncidentIsNotFoundAndABadTrackingIdIsInvalid()
    {
        await RpcAssert.FailsWith(StatusCode.NotFound, () => Stix().ExportIncidentAsync(new ExportIncidentRequest { TrackingId = "CIRT-2099-999999" }).ResponseAsync);
        Assert.Equal(["tracking_id"], await RpcAssert.InvalidFields(() => Stix().ExportIncidentAsync(new ExportIncidentRequest { TrackingId = "42" }).ResponseAsync));
    }

    [Fact]
    public async Task ABundleThatBreaksARuleIsRefusedNamingTheObjectAndTheRuleAndNothingIsCreated()
    {
        var bundle = StixExamples.Bundle();
        StixExamples.Object(bundle, StixExamples.Indicator).Remove("pattern");
        StixExamples.Object(bundle, StixExamples.Relationship)["target_ref"] = "malware--5e1a9a2c-0f5e-4d6e-9d3a-9b0d2d4f6e11";
        var before = (await server.Advisories().ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories.Count;

        var refused = await RpcAssert.FailsWith(StatusCode.InvalidArgument,
            () => Stix(server.CoordinatorKey).ImportBundleAsync(new ImportBundleRequest { Bundle = bundle.ToJsonString() }).ResponseAsync);

        var violations = refused.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations;
        Assert.All(violations, v => Assert.Equal("bundle", v.Field));
        Assert.Equal(
            [
                $"{StixExamples.Indicator}: pattern is required on a indicator",
                $"{StixExamples.Relationship}: target_ref references malware--5e1a9a2c-0f5e-4d6e-9d3a-9b0d2d4f6e11, which is not in the bundle",
            ],
            violations.Select(v => v.Description));
        Assert.Contains(StixExamples.Indicator, refused.Status.Detail);
        Assert.Equal(before, (await server.Advisories().ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories.Count);
    }

    [Fact]
    public async Task AnImportFromAnotherToolSaysWhatItLeftOut()
    {
        var imported = await Stix(server.CoordinatorKey).ImportBundleAsync(new ImportBundleRequest { Bundle = StixExamples.Bundle().ToJsonString() });

        Assert.Equal("The Black Vine Cyberespionage Group", imported.Advisory.Content.Title);
        Assert.Equal(Tlp.Green, imported.Advisory.Content.Tlp);
        Assert.Equal(AdvisoryStatus.Draft, imported.Advisory.Status);
        Assert.Contains("1 malware object", imported.Skipped);
    }

    [Fact]
    public async Task AnEmptyOrOversizedBundleIsRefused()
    {
        Assert.Equal(["bundle"], await RpcAssert.InvalidFields(() => Stix(server.CoordinatorKey).ImportBundleAsync(new ImportBundleRequest { Bundle = " " }).ResponseAsync));
        var oversized = await RpcAssert.StatusOf(() =>
            Stix(server.CoordinatorKey).ImportBundleAsync(new ImportBundleRequest { Bundle = new string(' ', StixGrpcService.MaxBundleBytes + 1) }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, oversized.StatusCode);
    }

    [Fact]
    public async Task AnAdvisoryTooBigForTheDraftLimitsIsRefusedByTheSameRulesAsCreateAdvisory()
    {
        var bundle = StixExamples.Bundle();
        var objects = bundle["objects"]!.AsArray();
        for (var i = 0; i < 51; i++)
        {
            objects.Add(new JsonObject
            {
                ["type"] = "course-of-action", ["spec_version"] = "2.1", ["id"] = $"course-of-action--{i:D8}-0000-4000-8000-000000000000",
                ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = "2024-01-01T00:00:00.000Z", ["name"] = $"Step {i}",
            });
        }

        var fields = await RpcAssert.InvalidFields(() => Stix(server.CoordinatorKey).ImportBundleAsync(new ImportBundleRequest { Bundle = bundle.ToJsonString() }).ResponseAsync);

        Assert.Equal(["content.recommended_actions"], fields);
    }
}
