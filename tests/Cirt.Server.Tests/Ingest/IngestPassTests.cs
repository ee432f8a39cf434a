using Cirt.Contracts.V1;
using Cirt.Grains.Ingest;
using Directory = Cirt.Grains.Stakeholders;
using Cirt.Server.Ingest;
using Domain = Cirt.Grains.Incidents;

namespace Cirt.Server.Tests.Ingest;

/// <summary>The aggregation pass on its own: decoded batches in, classification and deltas out, no server and no disk.</summary>
public sealed class IngestPassTests
{
    private static readonly DateTimeOffset Observed = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private readonly ConstituencyIndex _index = new([Owning("net-a", "100.64.0.0/16"), Owning("net-b", "100.65.0.0/16")]);
    private readonly ResendWindow _resends = new(1_000);
    private readonly DuplicateWindow _duplicates = new(TimeSpan.FromHours(1), 1_000);

    [Fact]
    public void EachEventIsResentOrStoredAndAStoredOneIsDuplicateOrNotThenUnmatchedOrAggregated()
    {
        var stored = new[]
        {
            Infected("e1", "100.64.0.1"),
            Infected("e2", "100.64.0.1", minutes: 5),          // same target within the window: a duplicate
            Infected("e3", "100.65.0.1"),
            Infected("e4", "198.18.0.1"),                      // nobody's: unmatched
            Infected("e5", "100.64.0.2", feed: "scan-feed"),
        };
        _resends.Add(_resends.Place(1), [EventKeys.Of("sensor", "old")]);
        var inFlight = new HashSet<long> { EventKeys.Of("sensor", "writing") };
        var pass = new IngestPass(10, inFlight, []);

        pass.Add([Batch(11, "honeypot-1=2", stored), Batch(12, "", Infected("old", "100.64.0.9"), Infected("writing", "100.64.0.9"), Infected("e1", "100.64.0.9"))], _index, _resends, _duplicates);

        Assert.Equal((12L, 2, 8L), (pass.UpTo, pass.Batches, pass.Events));
        Assert.Equal(5, pass.Fresh.Count);
        var honeypot = pass.Totals["honeypot-1"];
        Assert.Equal((4L, 1L, 1L, 3L, 2L), (honeypot.Stored, honeypot.Duplicates, honeypot.Unmatched, honeypot.Resent, honeypot.Rejected));
        Assert.Equal(Observed.AddMinutes(5).ToUnixTimeMilliseconds(), honeypot.LastEventAt);
        Assert.Equal((1L, 0L, 0L), (pass.Totals["scan-feed"].Stored, pass.Totals["scan-feed"].Duplicates, pass.Totals["scan-feed"].Resent));
        var unmatched = Assert.Single(pass.Unmatched);
        Assert.Equal(("sensor", "honeypot-1", "198.18.0.1"), (unmatched.Producer, unmatched.Feed, Event.Parser.ParseFrom(unmatched.Event).SourceIp));

        var record = pass.Build(_resends.Place(pass.Fresh.Count), _duplicates, 0, new TargetSightings());
        var a = Assert.Single(record.Aggregates, x => x.StakeholderId == "net-a");
        Assert.Equal((3L, 1L, 12L), (a.NewEvents, a.Duplicates, a.UpToSeq));
        Assert.Equal(["100.64.0.1", "100.64.0.2"], a.Observables.Select(o => o.Value).Order());
        Assert.Equal(["honeypot-1", "scan-feed"], a.Feeds);
        Assert.Equal(["mirai"], a.MalwareFamilies);
        Assert.Equal(1, Assert.Single(record.Aggregates, x => x.StakeholderId == "net-b").NewEvents);
        Assert.Equal(2, record.Aggregates.Length);
    }

    [Fact]
    public void AnAggregateCarriesTheMostRestrictiveTlpOfItsEventsAndAnUnlabelledEventCountsAsAmber()
    {
        var pass = new IngestPass(0, null, []);

        pass.Add([Batch(1, "",
            Infected("g", "100.64.0.1", tlp: Tlp.Green), Infected("s", "100.64.0.2", tlp: Tlp.AmberStrict), Infected("c", "100.64.0.3", tlp: Tlp.Clear),
            Infected("u", "100.65.0.1"), Infected("g2", "100.65.0.2", tlp: Tlp.Green),
            Infected("r", "100.64.0.4", type: "scanner", tlp: Tlp.Red), Infected("c2", "100.64.0.5", type: "scanner", tlp: Tlp.Clear))], _index, _resends, _duplicates);

        var aggregates = pass.Build(_resends.Place(pass.Fresh.Count), _duplicates, 0, new TargetSightings()).Aggregates;
        Assert.Equal(Domain.Tlp.AmberStrict, aggregates.Single(x => x.StakeholderId == "net-a" && x.RsitType == "infected-system").Tlp);
        Assert.Equal(Domain.Tlp.Amber, aggregates.Single(x => x.StakeholderId == "net-b").Tlp);
        Assert.Equal(Domain.Tlp.Red, aggregates.Single(x => x.RsitType == "scanner").Tlp);
    }

    [Fact]
    public void ThePassRecordsWhatItChangedInTheDuplicateWindowAndAWindowRestoredFromThatKnowsItsTargets()
    {
        var pass = new IngestPass(0, null, []);
        pass.Add([Batch(1, "", Infected("e1", "100.64.0.1"), Infected("e2", "100.64.0.2"), Infected("e3", "100.64.0.1", minutes: 1), Infected("e4", "100.64.0.1", minutes: -1))], _index, _resends, _duplicates);

        var record = pass.Build(_resends.Place(pass.Fresh.Count), _duplicates, 0, new TargetSightings());

        // Two targets changed (one of them seen again later), each recorded once with its last sighting.
        Assert.Equal(2, record.Sightings.Count);
        Assert.False(record.SightingsReplaceRuns);
        var restored = new DuplicateWindow(TimeSpan.FromHours(1), 1_000);
        foreach (var sighting in record.Sightings.All())
        {
            restored.Restore(sighting);
        }

        // Seen last at minute 1: still a duplicate at minute 60 (from minute 0 it would not be).
        Assert.True(restored.IsDuplicate("honeypot-1", "infected-system", "100.64.0.1", Observed.AddMinutes(60)));
        Assert.True(restored.IsDuplicate("honeypot-1", "infected-system", "100.64.0.2", Observed.AddMinutes(59)));
        Assert.False(restored.IsDuplicate("honeypot-1", "infected-system", "100.64.0.3", Observed));
    }

    [Fact]
    public void APassWritesTheWholeDuplicateWindowInsteadOfItsChangesOnceTheRunsHoldTheCapacityBeyondIt()
    {
        // The window holds 2 targets after the pass, both changed by it.
        var delta = TwoNewTargets(targetsOnDisk: 97);
        Assert.False(delta.SightingsReplaceRuns);
        Assert.Equal((2, 99L), (delta.Sightings.Count, delta.TargetsOnDisk));

        // 100 on disk + 2 changes, the window holding 2: 100 beyond it, the capacity.
        var whole = TwoNewTargets(targetsOnDisk: 100);
        Assert.True(whole.SightingsReplaceRuns);
        Assert.Equal((2, 2L), (whole.Sightings.Count, whole.TargetsOnDisk));
    }

    private PassRecord TwoNewTargets(long targetsOnDisk)
    {
        var window = new DuplicateWindow(TimeSpan.FromHours(1), 100);
        var pass = new IngestPass(0, null, []);
        pass.Add([Batch(1, "", Infected("e1", "100.64.0.1"), Infected("e2", "100.64.0.2"))], _index, new ResendWindow(1_000), window);
        return pass.Build(new ResendWindow.Placement(0, null), window, targetsOnDisk, new TargetSightings());
    }

    private static Directory.Stakeholder Owning(string id, string prefix) => new(
        id, id, Directory.StakeholderType.EssentialServiceOperator, [], "EU", Directory.Nis2EntityClass.None, [], new Directory.Constituency([prefix], [], []), 1,
        Observed, Observed, "test");

    private static Event Infected(string id, string sourceIp, int minutes = 0, string feed = "honeypot-1", string type = "infected-system", Tlp tlp = Tlp.Unspecified)
    {
        var e = Events.Infected(sourceIp, id, feed, Observed.AddMinutes(minutes));
        e.RsitType = type;
        e.Tlp = tlp;
        return e;
    }

    private static DecodedBatch Batch(long seq, string rejected, params Event[] events) =>
        DecodedBatch.Of(seq, Observed.ToUnixTimeMilliseconds(), "sensor", Events.Batch(events), rejected);
}
