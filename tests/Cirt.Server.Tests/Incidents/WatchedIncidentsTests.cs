using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Cirt.Server.Incidents;

namespace Cirt.Server.Tests.Incidents;

/// <summary>What a change means to one watcher of the queue: created, entered, changed, left, or nothing.</summary>
public sealed class WatchedIncidentsTests
{
    private static readonly Principal Bank = new("key-bank", "bank-soc", Role.Operator, "firstbank", "");

    [Fact]
    public void ANewIncidentIsCreatedAChangeIsChangedAndLeavingTheFilterIsLeft()
    {
        var watched = new WatchedIncidents(new IncidentQuery([IncidentStatus.Reported], null, [], null, IncidentOrder.NewestFirst, 50), 100);

        Assert.Equal(WatchChange.Created, watched.Observe(Summary("CIRT-2026-000001", 1, IncidentStatus.Reported)));
        Assert.Equal(WatchChange.Changed, watched.Observe(Summary("CIRT-2026-000001", 2, IncidentStatus.Reported)));
        Assert.Null(watched.Observe(Summary("CIRT-2026-000001", 2, IncidentStatus.Reported)));
        Assert.Equal(WatchChange.Left, watched.Observe(Summary("CIRT-2026-000001", 3, IncidentStatus.Triaged)));
        Assert.Null(watched.Observe(Summary("CIRT-2026-000001", 4, IncidentStatus.Responding)));
        Assert.Null(watched.Observe(Summary("CIRT-2026-000002", 1, IncidentStatus.Triaged)));
        Assert.Equal(WatchChange.Entered, watched.Observe(Summary("CIRT-2026-000003", 5, IncidentStatus.Reported)));
    }

    [Fact]
    public void WhatTheSnapshotCarriedIsNotToldAgainUnlessNewer()
    {
        var watched = new WatchedIncidents(IncidentQuery.All(), 100);
        watched.Reset([Summary("CIRT-2026-000001", 4, IncidentStatus.Reported)]);

        Assert.Null(watched.Observe(Summary("CIRT-2026-000001", 3, IncidentStatus.Reported)));
        Assert.Null(watched.Observe(Summary("CIRT-2026-000001", 4, IncidentStatus.Reported)));
        Assert.Equal(WatchChange.Changed, watched.Observe(Summary("CIRT-2026-000001", 5, IncidentStatus.Triaged)));
    }

    [Fact]
    public void AnIncidentAnOperatorMayNoLongerSeeLeavesItsStream()
    {
        var watched = new WatchedIncidents(IncidentQuery.All().SeenBy(Bank), 100);

        Assert.Equal(WatchChange.Created, watched.Observe(Summary("CIRT-2026-000001", 1, IncidentStatus.Reported, "firstbank")));
        Assert.False(watched.Concerns(Summary("CIRT-2026-000002", 1, IncidentStatus.Reported, "gridco")));
        Assert.Null(watched.Observe(Summary("CIRT-2026-000002", 1, IncidentStatus.Reported, "gridco")));
        Assert.Equal(WatchChange.Left, watched.Observe(Summary("CIRT-2026-000001", 2, IncidentStatus.Reported, "firstbank") with { Tlp = Tlp.Red, AffectedStakeholderIds = ["firstbank"], ReporterStakeholderId = "gridco" }));
    }

    [Fact]
    public void AWatcherHoldsAtMostItsCapacityForgettingTheLongestHeld()
    {
        var watched = new WatchedIncidents(IncidentQuery.All(), 2);
        watched.Observe(Summary("CIRT-2026-000001", 1, IncidentStatus.Reported));
        watched.Observe(Summary("CIRT-2026-000002", 1, IncidentStatus.Reported));
        watched.Observe(Summary("CIRT-2026-000003", 1, IncidentStatus.Reported));

        Assert.Equal(2, watched.Count);
        Assert.Equal(WatchChange.Entered, watched.Observe(Summary("CIRT-2026-000001", 2, IncidentStatus.Reported)));
    }

    private static IncidentSummary Summary(string id, long version, IncidentStatus status, string reporter = "gridco") => new(
        id, "t", status, Severity.Unspecified, Tlp.Amber, reporter, [], [], "", "", "",
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, version, []);
}
