using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Sectors;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Incidents;

[Collection(CirtClusterCollection.Name)]
public sealed class IncidentGrainTests(CirtClusterFixture cluster)
{
    private const string Analyst = "analyst:ana";

    private static readonly TriageDecision Accept =
        new(TriageOutcome.Accept, "malicious-code", "infected-system", Severity.High, Tlp.AmberStrict, "analyst:ben", "", "ransom note on the HMI");

    private async Task<IIncidentGrain> OpenAsync(string reporter = "gridco")
    {
        var incident = await cluster.SubmitAsync(Reports.From(reporter));
        return cluster.Grains.GetGrain<IIncidentGrain>(incident.TrackingId);
    }

    private static async Task<Incident> StoredAsync(IIncidentGrain grain) =>
        await grain.GetAsync() ?? throw new InvalidOperationException("The incident is gone.");

    [Fact]
    public async Task TriageAcceptRecordsTheClassificationAndWhoTriaged()
    {
        var grain = await OpenAsync();

        var triaged = await grain.TriageAsync(Accept, expectedVersion: 1, Analyst);

        Assert.Equal(IncidentStatus.Triaged, triaged.Status);
        Assert.Equal("malicious-code", triaged.RsitClass);
        Assert.Equal("infected-system", triaged.RsitType);
        Assert.Equal(Severity.High, triaged.Severity);
        Assert.Equal(Tlp.AmberStrict, triaged.Tlp);
        Assert.Equal("analyst:ben", triaged.Assignee);
        Assert.Equal(2, triaged.Version);
        var entry = triaged.Timeline[1];
        Assert.Equal((2, "triaged", Analyst), (entry.Sequence, entry.Kind, entry.Actor));
        // The malicious-code playbook's tasks come with the triage, in the same version.
        Assert.Equal(("tasks-created", "system:playbook"), (triaged.Timeline[2].Kind, triaged.Timeline[2].Actor));
        Assert.Equal(4, triaged.Tasks.Length);
        Assert.Equal(("gridco", "analyst:ben"), (triaged.Tasks[0].AssigneeStakeholderId, triaged.Tasks[2].AssigneeAnalyst));
        Assert.Equal(
            "Triaged as malicious-code/infected-system, severity High, TLP:AMBER+STRICT, assigned to analyst:ben: ransom note on the HMI",
            entry.Summary);
        var stored = await StoredAsync(grain);
        Assert.Equal((IncidentStatus.Triaged, 2L, "infected-system"), (stored.Status, stored.Version, stored.RsitType));
    }

    [Fact]
    public async Task TriageOfAnIncidentAlreadyTriagedIsRefused()
    {
        var grain = await OpenAsync();
        await grain.TriageAsync(Accept, 0, Analyst);

        var refused = await Assert.ThrowsAsync<CirtException>(() => grain.TriageAsync(Accept, 0, Analyst));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.StartsWith("Only a Reported incident can be triaged; this one is Triaged.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TriageWithATypeOutsideTheClassIsRefusedNamingRsitType()
    {
        var grain = await OpenAsync();

        var refused = await Assert.ThrowsAsync<CirtException>(
            () => grain.TriageAsync(Accept with { RsitType = "phishing" }, 1, Analyst));

        Assert.Equal(CirtErrorKind.InvalidArgument, refused.Kind);
        Assert.Equal("rsit_type", refused.Field);
        var stored = await StoredAsync(grain);
        Assert.Equal((IncidentStatus.Reported, 1L, ""), (stored.Status, stored.Version, stored.RsitType));
    }

    [Fact]
    public async Task IncidentGoesThroughItsWholeLifecycleWithATimelineEntryPerStep()
    {
        var grain = await OpenAsync();

        var incident = await grain.TriageAsync(Accept, 1, "analyst:ana");
        incident = await grain.TransitionAsync(IncidentStatus.Responding, "containment started", incident.Version, "analyst:ben");
        incident = await grain.TransitionAsync(IncidentStatus.Recovering, "HMI restored from backup", incident.Version, "analyst:ben");
        var unrestored = await Assert.ThrowsAsync<CirtException>(() => grain.TransitionAsync(IncidentStatus.Resolved, "", incident.Version, "analyst:ana"));
        Assert.Contains("not yet restored: gridco", unrestored.Message, StringComparison.Ordinal);
        incident = await grain.SetRestorationAsync("gridco", restored: true, "", "gridco-soc@gridco");
        incident = await grain.TransitionAsync(IncidentStatus.Resolved, "", incident.Version, "analyst:ana");
        var unreviewed = await Assert.ThrowsAsync<CirtException>(
            () => grain.TransitionAsync(IncidentStatus.Closed, "final report received", incident.Version, "coordinator:marie"));
        Assert.Equal(CirtErrorKind.FailedPrecondition, unreviewed.Kind);
        incident = await grain.RecordReviewAsync(
            new PostIncidentReview("HMI encrypted", "phishing mail", "manual control", "train staff", ["awareness advisory"], default, ""),
            incident.Version, "analyst:ana");
        incident = await grain.TransitionAsync(IncidentStatus.Closed, "final report received", incident.Version, "coordinator:marie");

        var stored = await StoredAsync(grain);
        Assert.Equal(IncidentStatus.Closed, stored.Status);
        Assert.Equal(8, stored.Version);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], stored.Timeline.Select(e => e.Sequence));
        Assert.Equal(
            [
                ("reported", "reporter:duty-officer"),
                ("triaged", "analyst:ana"),
                ("tasks-created", "system:playbook"),
                ("transitioned", "analyst:ben"),
                ("transitioned", "analyst:ben"),
                ("restoration", "gridco-soc@gridco"),
                ("transitioned", "analyst:ana"),
                ("reviewed", "analyst:ana"),
                ("transitioned", "coordinator:marie"),
            ],
            stored.Timeline.Select(e => (e.Kind, e.Actor)));
        Assert.Equal("Triaged → Responding: containment started", stored.Timeline[3].Summary);
        Assert.Equal("Resolved → Closed: final report received", stored.Timeline[8].Summary);
        Assert.Equal(("phishing mail", "analyst:ana"), (stored.Review!.RootCause, stored.Review.RecordedBy));
        Assert.Equal((IncidentStatus.Closed, 8L), (incident.Status, incident.Version));
    }

    [Fact]
    public async Task ClosedIncidentCannotGoBackToResponding()
    {
        var grain = await OpenAsync();
        await grain.TriageAsync(Accept with { Severity = Severity.Medium }, 0, Analyst);
        await grain.TransitionAsync(IncidentStatus.Resolved, "", 0, Analyst);
        await grain.TransitionAsync(IncidentStatus.Closed, "", 0, Analyst);

        var refused = await Assert.ThrowsAsync<CirtException>(
            () => grain.TransitionAsync(IncidentStatus.Responding, "attacker is back", 0, Analyst));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Equal("target_status", refused.Field);
        Assert.Contains("Closed is final", refused.Message, StringComparison.Ordinal);
        Assert.Equal(IncidentStatus.Closed, (await StoredAsync(grain)).Status);
    }

    [Fact]
    public async Task StaleExpectedVersionIsRefusedAsConflictAndChangesNothing()
    {
        var grain = await OpenAsync();
        var triaged = await grain.TriageAsync(Accept, 1, Analyst);

        var refused = await Assert.ThrowsAsync<CirtException>(
            () => grain.TransitionAsync(IncidentStatus.Responding, "", expectedVersion: 1, Analyst));

        Assert.Equal(CirtErrorKind.Conflict, refused.Kind);
        Assert.Equal("expected_version", refused.Field);
        Assert.Contains("expected version 1, it is now at version 2", refused.Message, StringComparison.Ordinal);
        var stored = await StoredAsync(grain);
        Assert.Equal((IncidentStatus.Triaged, triaged.Version, triaged.Timeline.Length), (stored.Status, stored.Version, stored.Timeline.Length));
    }

    [Fact]
    public async Task ConcurrentNotesBothLand()
    {
        var grain = await OpenAsync();

        var notes = await Task.WhenAll(
            grain.AddNoteAsync("Called the GridCo SOC", "analyst:ana"),
            grain.AddNoteAsync("Asked the vendor for the HMI image", "analyst:ben"));

        Assert.NotEqual(notes[0].Version, notes[1].Version);
        var stored = await StoredAsync(grain);
        Assert.Equal(3, stored.Version);
        var added = stored.Timeline.Where(e => e.Kind == "note").ToArray();
        Assert.Equal(2, added.Length);
        Assert.Contains(added, e => e is { Actor: "analyst:ana", Summary: "Called the GridCo SOC" });
        Assert.Contains(added, e => e is { Actor: "analyst:ben", Summary: "Asked the vendor for the HMI image" });
    }

    [Fact]
    public async Task AddingObservablesCountsOnlyTheNewOnes()
    {
        var grain = await OpenAsync();
        var c2 = new Observable(ObservableType.IpAddress, "192.0.2.66", "C2 seen in firewall logs");
        await grain.AddObservablesAsync([c2, new Observable(ObservableType.Domain, "evil.example", "")], Analyst);

        var result = await grain.AddObservablesAsync(
            [c2 with { Comment = "seen again" }, new Observable(ObservableType.IpAddress, "192.0.2.67", "")], Analyst);

        Assert.Equal(1, result.AddedCount);
        Assert.Equal(
            ["192.0.2.66", "evil.example", "192.0.2.67"],
            result.Incident.Observables.Select(o => o.Value));
        Assert.Equal("Added 1 observable(s): IpAddress 192.0.2.67", result.Incident.Timeline[^1].Summary);
    }

    [Fact]
    public async Task AddingOnlyKnownObservablesChangesNothing()
    {
        var grain = await OpenAsync();
        var c2 = new Observable(ObservableType.IpAddress, "192.0.2.66", "");
        var first = await grain.AddObservablesAsync([c2, c2], Analyst);

        var again = await grain.AddObservablesAsync([c2], Analyst);

        Assert.Equal(1, first.AddedCount);
        Assert.Equal(0, again.AddedCount);
        Assert.Equal(first.Incident.Version, (await StoredAsync(grain)).Version);
    }

    [Fact]
    public async Task MarkingADuplicateLinksTheOriginal()
    {
        var original = await OpenAsync();
        var duplicate = await OpenAsync();
        var originalId = original.GetPrimaryKeyString();
        var duplicateId = duplicate.GetPrimaryKeyString();

        var marked = await duplicate.TriageAsync(
            new TriageDecision(TriageOutcome.Duplicate, "", "", Severity.Unspecified, null, "", originalId, "same HMI outage"), 1, Analyst);

        Assert.Equal(IncidentStatus.Duplicate, marked.Status);
        Assert.Equal(originalId, marked.DuplicateOf);
        Assert.Equal("marked-duplicate", marked.Timeline[^1].Kind);
        var link = (await StoredAsync(original)).Timeline[^1];
        Assert.Equal(("duplicate-linked", Analyst), (link.Kind, link.Actor));
        Assert.Contains(duplicateId, link.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncidentCannotBeADuplicateOfItself()
    {
        var grain = await OpenAsync();

        var refused = await Assert.ThrowsAsync<CirtException>(() => grain.TriageAsync(
            new TriageDecision(TriageOutcome.Duplicate, "", "", Severity.Unspecified, null, "", grain.GetPrimaryKeyString(), ""), 1, Analyst));

        Assert.Equal(CirtErrorKind.InvalidArgument, refused.Kind);
        Assert.Equal("duplicate_of", refused.Field);
        Assert.Equal(IncidentStatus.Reported, (await StoredAsync(grain)).Status);
    }

    [Fact]
    public async Task ReopeningARejectedIncidentSendsItBackToTriage()
    {
        var grain = await OpenAsync();
        await grain.TriageAsync(new TriageDecision(TriageOutcome.Reject, "", "", Severity.Unspecified, null, "", "", "not an incident"), 1, Analyst);

        var reopened = await grain.TransitionAsync(IncidentStatus.Reported, "new evidence from GridCo", 2, "coordinator:marie");

        Assert.Equal(IncidentStatus.Reported, reopened.Status);
        Assert.Equal(("reopened", "Rejected → Reported: new evidence from GridCo"), (reopened.Timeline[^1].Kind, reopened.Timeline[^1].Summary));
        Assert.Equal(IncidentStatus.Triaged, (await grain.TriageAsync(Accept, 3, Analyst)).Status);
    }

    [Fact]
    public async Task QueueShowsTheNewStatusAfterATransition()
    {
        // A reporter of its own, so that the queue filtered on it holds exactly this test's incident.
        var reporter = "queue-" + Guid.NewGuid().ToString("N")[..12];
        await cluster.Grains.GetGrain<IStakeholderGrain>(reporter).CreateAsync(
            new StakeholderProfile("Queue Test Utility", StakeholderType.EssentialServiceOperator, ["ENERGY"], "LU",
                Nis2EntityClass.Essential, [], Constituency.Empty),
            "coordinator:marie");
        var grain = await OpenAsync(reporter);
        await grain.TriageAsync(Accept, 1, Analyst);
        await grain.TransitionAsync(IncidentStatus.Responding, "", 2, Analyst);

        var queue = cluster.SiloService<IIncidentQueue>();
        var (page, total) = await queue.QueryAsync(IncidentQuery.All() with { StakeholderId = reporter });

        Assert.Equal(1, total);
        var row = Assert.Single(page);
        Assert.Equal(grain.GetPrimaryKeyString(), row.TrackingId);
        Assert.Equal((IncidentStatus.Responding, 3L, "malicious-code"), (row.Status, row.Version, row.RsitClass));
    }

    [Fact]
    public async Task UnknownIncidentIsNotFound()
    {
        var grain = cluster.Grains.GetGrain<IIncidentGrain>(TrackingIds.Format(1999, Random.Shared.NextInt64(1, 999_999)));

        Assert.Null(await grain.GetAsync());
        var refused = await Assert.ThrowsAsync<CirtException>(() => grain.AddNoteAsync("hello?", Analyst));
        Assert.Equal(CirtErrorKind.NotFound, refused.Kind);
    }
}
