using System.Text.Json.Nodes;
using Cirt.Server.Taxii;

namespace Cirt.Server.Tests.Taxii;

/// <summary>What a collection holds as messages come: versions added once, dropped and withdrawn objects revoked, history that only grows.</summary>
public sealed class CollectionHistoryTests
{
    private const string Cirt = "identity--11111111-1111-4111-8111-111111111111";
    private const string Green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    private const string ReportA = "report--aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    private const string ReportB = "report--bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
    private const string OldIndicator = "indicator--cccccccc-cccc-4ccc-8ccc-cccccccccccc";
    private const string NewIndicator = "indicator--dddddddd-dddd-4ddd-8ddd-dddddddddddd";

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AVersionSeveralMessagesCarryIsAddedOnceWhenFirstCarried()
    {
        var history = CollectionHistory.Build(
        [
            Publish("m1", T0, "A", 1, Identity(), Marking(), Report(ReportA, T0)),
            Publish("m2", T0.AddMinutes(1), "B", 1, Identity(), Marking(), Report(ReportB, T0.AddMinutes(1))),
        ]);

        Assert.Single(history, o => o.Id == Cirt);
        Assert.Equal(T0, history.Single(o => o.Id == Green).DateAdded);
        Assert.Equal(4, history.Count);
    }

    [Fact]
    public void AnUpdateAddsNewVersionsAndRevokesWhatItNoLongerCarries()
    {
        var history = CollectionHistory.Build(
        [
            Publish("m1", T0, "A", 1, Identity(), Marking(), Report(ReportA, T0, OldIndicator), Indicator(OldIndicator, T0)),
            Publish("m2", T0.AddMinutes(5), "A", 2, Identity(), Marking(), Report(ReportA, T0.AddMinutes(5), NewIndicator), Indicator(NewIndicator, T0.AddMinutes(5))),
        ]);

        Assert.Equal(2, history.Count(o => o.Id == ReportA));
        var revoked = history.Last(o => o.Id == OldIndicator);
        Assert.True(revoked.Revoked);
        Assert.Equal(T0.AddMinutes(5), revoked.DateAdded);
        Assert.True(revoked.Version > T0);
        Assert.Equal(revoked.VersionText, JsonNode.Parse(revoked.Json)!["modified"]!.GetValue<string>());
        Assert.True(JsonNode.Parse(revoked.Json)!["revoked"]!.GetValue<bool>());
        Assert.DoesNotContain(history, o => o.Id == NewIndicator && o.Revoked);
    }

    [Fact]
    public void AWithdrawalRevokesTheItemsObjectsButNotTheCirtOrTheMarking()
    {
        var history = CollectionHistory.Build(
        [
            Publish("m1", T0, "A", 1, Identity(), Marking(), Report(ReportA, T0, OldIndicator), Indicator(OldIndicator, T0)),
            Withdraw("m2", T0.AddHours(1), "A", 2),
        ]);

        var latest = history.GroupBy(o => o.Id).ToDictionary(g => g.Key, g => g.MaxBy(o => o.Version)!);
        Assert.True(latest[ReportA].Revoked);
        Assert.True(latest[OldIndicator].Revoked);
        Assert.False(latest[Cirt].Revoked);
        Assert.False(latest[Green].Revoked);
        Assert.All(history.Where(o => o.Revoked), o => Assert.Equal(T0.AddHours(1), o.DateAdded));
    }

    [Fact]
    public void AnOlderVersionSendableLaterAddsItsVersionsButRevokesNothing()
    {
        var history = CollectionHistory.Build(
        [
            Publish("m2", T0.AddMinutes(5), "A", 2, Identity(), Report(ReportA, T0.AddMinutes(5), NewIndicator), Indicator(NewIndicator, T0.AddMinutes(5))),
            // Version 1 was held for approval and approved after version 2 was queued.
            Publish("m1", T0.AddMinutes(9), "A", 1, Identity(), Report(ReportA, T0, OldIndicator), Indicator(OldIndicator, T0)),
        ]);

        Assert.DoesNotContain(history, o => o.Revoked);
        Assert.Equal(T0.AddMinutes(5), history.Where(o => o.Id == ReportA).MaxBy(o => o.Version)!.Version);
        Assert.Equal(T0.AddMinutes(9), history.Single(o => o.Id == OldIndicator).DateAdded);
    }

    [Fact]
    public void AnObjectTwoItemsCarryIsRevokedOnlyWhenNeitherCarriesIt()
    {
        var shared = Indicator(OldIndicator, T0);
        var history = CollectionHistory.Build(
        [
            Publish("m1", T0, "A", 1, Identity(), Report(ReportA, T0, OldIndicator), shared),
            Publish("m2", T0.AddMinutes(1), "B", 1, Identity(), Report(ReportB, T0.AddMinutes(1), OldIndicator), shared),
            Withdraw("m3", T0.AddMinutes(2), "A", 2),
        ]);
        var later = CollectionHistory.Build(
        [
            Publish("m1", T0, "A", 1, Identity(), Report(ReportA, T0, OldIndicator), shared),
            Publish("m2", T0.AddMinutes(1), "B", 1, Identity(), Report(ReportB, T0.AddMinutes(1), OldIndicator), shared),
            Withdraw("m3", T0.AddMinutes(2), "A", 2),
            Withdraw("m4", T0.AddMinutes(3), "B", 2),
        ]);

        Assert.DoesNotContain(history, o => o.Id == OldIndicator && o.Revoked);
        Assert.Contains(later, o => o.Id == OldIndicator && o.Revoked && o.DateAdded == T0.AddMinutes(3));
    }

    [Fact]
    public void TheHistoryOnlyGrows()
    {
        CollectedMessage[] messages =
        [
            Publish("m1", T0, "A", 1, Identity(), Marking(), Report(ReportA, T0, OldIndicator), Indicator(OldIndicator, T0)),
            Publish("m2", T0.AddMinutes(1), "B", 1, Identity(), Marking(), Report(ReportB, T0.AddMinutes(1))),
            Publish("m3", T0.AddMinutes(2), "A", 2, Identity(), Marking(), Report(ReportA, T0.AddMinutes(2), NewIndicator), Indicator(NewIndicator, T0.AddMinutes(2))),
            Withdraw("m4", T0.AddMinutes(3), "B", 2),
            Withdraw("m5", T0.AddMinutes(4), "A", 3),
        ];

        for (var seen = 1; seen < messages.Length; seen++)
        {
            var before = CollectionHistory.Build(messages[..seen]);
            var after = CollectionHistory.Build(messages[..(seen + 1)]);
            Assert.Equal(before, after.Take(before.Count));
            Assert.All(after.Skip(before.Count), o => Assert.Equal(messages[seen].SendableAt, o.DateAdded));
        }
    }

    private static CollectedMessage Publish(string id, DateTimeOffset at, string item, long version, params string[] objects) =>
        new(id, at, item, version, Withdraws: false, objects.Select(StixObjectVersion.Parse).ToArray());

    private static CollectedMessage Withdraw(string id, DateTimeOffset at, string item, long version) =>
        new(id, at, item, version, Withdraws: true, []);

    private static string Identity() => new JsonObject
    {
        ["type"] = "identity", ["spec_version"] = "2.1", ["id"] = Cirt, ["created"] = "2020-01-01T00:00:00.000Z", ["modified"] = "2020-01-01T00:00:00.000Z",
        ["name"] = "cirt-fr", ["identity_class"] = "organization",
    }.ToJsonString();

    private static string Marking() => new JsonObject
    {
        ["type"] = "marking-definition", ["spec_version"] = "2.1", ["id"] = Green, ["created"] = "2022-10-01T00:00:00.000Z", ["name"] = "TLP:GREEN",
    }.ToJsonString();

    private static string Report(string id, DateTimeOffset modified, params string[] refs) => new JsonObject
    {
        ["type"] = "report", ["spec_version"] = "2.1", ["id"] = id, ["created"] = Stamp(T0), ["modified"] = Stamp(modified), ["created_by_ref"] = Cirt,
        ["name"] = id, ["published"] = Stamp(T0), ["object_refs"] = new JsonArray(refs.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()),
    }.ToJsonString();

    private static string Indicator(string id, DateTimeOffset modified) => new JsonObject
    {
        ["type"] = "indicator", ["spec_version"] = "2.1", ["id"] = id, ["created"] = Stamp(T0), ["modified"] = Stamp(modified), ["created_by_ref"] = Cirt,
        ["pattern"] = "[ipv4-addr:value = '192.0.2.7']", ["pattern_type"] = "stix", ["valid_from"] = Stamp(T0),
    }.ToJsonString();

    private static string Stamp(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
