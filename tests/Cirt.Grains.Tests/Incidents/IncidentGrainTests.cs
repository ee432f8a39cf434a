using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>
/// What the incident grain adds to the rules (tested on their own beside this): it fetches the facts
/// they need from other grains, stores each version, publishes it to the read model, and answers
/// only what a caller may reach.
/// </summary>
[Collection(CirtClusterCollection.Name)]
public sealed class IncidentGrainTests(CirtClusterFixture cluster)
{
    private static readonly TriageDecision Accept =
        new(TriageOutcome.Accept, "malicious-code", "infected-system", Severity.High, Tlp.AmberStrict, "ben", "", "ransom note on the HMI");

    private async Task<IIncidentGrain> OpenAsync(string reporter = "gridco")
    {
        var incident = await cluster.SubmitAsync(Reports.From(reporter));
        return cluster.Grains.GetGrain<IIncidentGrain>(incident.TrackingId);
    }

    private static async Task<Incident> StoredAsync(IIncidentGrain grain) =>
        await grain.GetAsync() ?? throw new InvalidOperationException("The incident is gone.");

    [Fact]
    public async Task AcceptingAddsTheClassPlaybooksTasksInTheSameVersion()
    {
        var grain = await OpenAsync();

        var triaged = await grain.TriageAsync(Accept, expectedVersion: 1, Callers.Analyst);

        // The seeded malicious-code playbook: four steps, for the reporter and for the analyst in charge.
        Assert.Equal((IncidentStatus.Triaged, 2L), (triaged.Status, triaged.Version));
        Assert.Equal(("triaged", "tasks-created"), (triaged.Timeline[1].Kind, triaged.Timeline[2].Kind));
        Assert.Equal(4, triaged.Tasks.Length);
        Assert.Equal(("gridco", "ben"), (triaged.Tasks[0].AssigneeStakeholderId, triaged.Tasks[2].AssigneeAnalyst));
        Assert.Equivalent(triaged, await StoredAsync(grain), strict: true);
    }

    [Fact]
    public async Task AnIncidentGoesThroughItsWholeLifecycleAndClosingCancelsItsOpenTasks()
    {
        var grain = await OpenAsync();

        var incident = await grain.TriageAsync(Accept, 1, Callers.Analyst);
        incident = await grain.UpdateTaskAsync(1, IncidentTaskStatus.Done, "HMIs unplugged", Callers.Operator("gridco"));
        incident = await grain.TransitionAsync(IncidentStatus.Responding, "containment started", incident.Version, Callers.Analyst);
        incident = await grain.TransitionAsync(IncidentStatus.Recovering, "HMI restored from backup", incident.Version, Callers.Analyst);
        incident = await grain.SetRestorationAsync("gridco", restored: true, "", Callers.Operator("gridco"));
        incident = await grain.TransitionAsync(IncidentStatus.Resolved, "", incident.Version, Callers.Analyst);
        incident = await grain.RecordReviewAsync(
            new PostIncidentReview("HMI encrypted", "phishing mail", "manual control", "train staff", ["awareness advisory"], default, ""),
            incident.Version, Callers.Analyst);
        incident = await grain.TransitionAsync(IncidentStatus.Closed, "final report received", incident.Version, Callers.Coordinator);

        var stored = await StoredAsync(grain);
        Assert.Equivalent(incident, stored, strict: true);
        Assert.Equal((IncidentStatus.Closed, 9L), (stored.Status, stored.Version));
        Assert.Equal(Enumerable.Range(1, 11), stored.Timeline.Select(e => e.Sequence));
        Assert.Equal(
            [
                ("reported", "duty-officer@gridco"), ("triaged", "ana"), ("tasks-created", "system:playbook"), ("task-updated", "soc@gridco"),
                ("transitioned", "ana"), ("transitioned", "ana"), ("restoration", "soc@gridco"), ("transitioned", "ana"), ("reviewed", "ana"),
                ("transitioned", "marie"), ("tasks-cancelled", "marie"),
            ],
            stored.Timeline.Select(e => (e.Kind, e.Actor)));
        Assert.Equal(
            [IncidentTaskStatus.Done, IncidentTaskStatus.Cancelled, IncidentTaskStatus.Cancelled, IncidentTaskStatus.Cancelled],
            stored.Tasks.Select(t => t.Status));
    }

    [Fact]
    public async Task ConcurrentNotesBothLand()
    {
        var grain = await OpenAsync();

        var notes = await Task.WhenAll(
            grain.AddNoteAsync("Called the GridCo SOC", Callers.Analyst),
            grain.AddNoteAsync("Asked the vendor for the HMI image", Callers.Coordinator));

        Assert.NotEqual(notes[0].Version, notes[1].Version);
        var stored = await StoredAsync(grain);
        Assert.Equal(3, stored.Version);
        var added = stored.Timeline.Where(e => e.Kind == "note").ToArray();
        Assert.Contains(added, e => e is { Actor: "ana", Summary: "Called the GridCo SOC" });
        Assert.Contains(added, e => e is { Actor: "marie", Summary: "Asked the vendor for the HMI image" });
    }

    [Fact]
    public async Task MarkingADuplicateLinksTheOriginal()
    {
        var original = await OpenAsync();
        var duplicate = await OpenAsync();

        var marked = await duplicate.TriageAsync(Duplicate(original.GetPrimaryKeyString()), 1, Callers.Analyst);

        Assert.Equal((IncidentStatus.Duplicate, original.GetPrimaryKeyString()), (marked.Status, marked.DuplicateOf));
        var link = (await StoredAsync(original)).Timeline[^1];
        Assert.Equal(("duplicate-linked", "ana"), (link.Kind, link.Actor));
        Assert.Contains(duplicate.GetPrimaryKeyString(), link.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkingADuplicateOfAnUnknownIncidentIsNotFoundAndChangesNothing()
    {
        var grain = await OpenAsync();
        var unknown = TrackingIds.Format(1999, Random.Shared.NextInt64(1, 999_999));

        var refused = await Assert.ThrowsAsync<CirtException>(() => grain.TriageAsync(Duplicate(unknown), 1, Callers.Analyst));

        Assert.Equal((CirtErrorKind.NotFound, $"Incident '{unknown}' was not found."), (refused.Kind, refused.Message));
        Assert.Equal((IncidentStatus.Reported, 1L), ((await StoredAsync(grain)).Status, (await StoredAsync(grain)).Version));
    }

    [Fact]
    public async Task MarkingADuplicateOfADuplicateIsRefusedAndChangesNeither()
    {
        var original = await OpenAsync();
        var first = await OpenAsync();
        var second = await OpenAsync();
        await first.TriageAsync(Duplicate(original.GetPrimaryKeyString()), 1, Callers.Analyst);
        var before = await StoredAsync(first);

        var refused = await Assert.ThrowsAsync<CirtException>(() => second.TriageAsync(Duplicate(first.GetPrimaryKeyString()), 1, Callers.Analyst));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Equivalent(before, await StoredAsync(first), strict: true);
        Assert.Equal(IncidentStatus.Reported, (await StoredAsync(second)).Status);
    }

    [Fact]
    public async Task ATaskOrAnAffectedStakeholderThatDoesNotExistIsNotFound()
    {
        var grain = await OpenAsync();

        var task = await Assert.ThrowsAsync<CirtException>(() => grain.AddTaskAsync(new NewIncidentTask("Send logs", "no-such-org", "", null), Callers.Analyst));
        var affected = await Assert.ThrowsAsync<CirtException>(() => grain.AddAffectedAsync(["aquaworks", "no-such-org"], Callers.Analyst));

        Assert.Equal((CirtErrorKind.NotFound, "assignee_stakeholder_id", "Stakeholder 'no-such-org' was not found."), (task.Kind, task.Field, task.Message));
        Assert.Equal((CirtErrorKind.NotFound, "stakeholder_ids"), (affected.Kind, affected.Field));
        Assert.Equal(1, (await StoredAsync(grain)).Version);
    }

    [Fact]
    public async Task AnOperatorReachesOnlyWhatItsOrganisationMaySee()
    {
        var grain = await OpenAsync("gridco");

        var read = await Assert.ThrowsAsync<CirtException>(() => grain.GetVisibleAsync(Callers.Operator("firstbank")));
        var note = await Assert.ThrowsAsync<CirtException>(() => grain.AddNoteAsync("let me in", Callers.Operator("firstbank")));

        Assert.Equal(CirtErrorKind.NotFound, read.Kind);
        Assert.Equal((read.Kind, read.Message), (note.Kind, note.Message));
        Assert.Equal(1, (await grain.GetVisibleAsync(Callers.Operator("gridco"))).Version);
    }

    [Fact]
    public async Task TheReadModelShowsTheNewStatusAfterATransition()
    {
        // A reporter of its own, so that the queue filtered on it holds exactly this test's incident.
        var reporter = "queue-" + Guid.NewGuid().ToString("N")[..12];
        await cluster.Grains.GetGrain<IStakeholderGrain>(reporter).CreateAsync(
            new StakeholderProfile("Queue Test Utility", StakeholderType.EssentialServiceOperator, ["ENERGY"], "LU",
                Nis2EntityClass.Essential, [], Constituency.Empty),
            "coordinator:marie");
        var grain = await OpenAsync(reporter);
        await grain.TriageAsync(Accept, 1, Callers.Analyst);
        await grain.TransitionAsync(IncidentStatus.Responding, "", 2, Callers.Analyst);

        var (page, total) = await cluster.SiloService<IIncidentQueue>().QueryAsync(IncidentQuery.All() with { StakeholderId = reporter });

        Assert.Equal(1, total);
        var row = Assert.Single(page);
        Assert.Equal(grain.GetPrimaryKeyString(), row.TrackingId);
        Assert.Equal((IncidentStatus.Responding, 3L, "malicious-code"), (row.Status, row.Version, row.RsitClass));
    }

    [Fact]
    public async Task AnUnknownIncidentIsNotFound()
    {
        var grain = cluster.Grains.GetGrain<IIncidentGrain>(TrackingIds.Format(1999, Random.Shared.NextInt64(1, 999_999)));

        Assert.Null(await grain.GetAsync());
        Assert.Equal(CirtErrorKind.NotFound, (await Assert.ThrowsAsync<CirtException>(() => grain.AddNoteAsync("hello?", Callers.Analyst))).Kind);
    }

    private static TriageDecision Duplicate(string originalTrackingId) =>
        new(TriageOutcome.Duplicate, "", "", Severity.Unspecified, null, "", originalTrackingId, "same HMI outage");
}
