using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>
/// An incident remembers the requests that changed it, stored with the change: a retry whose first
/// answer was lost (the server crashed before its ledger recorded the answer) changes nothing twice,
/// even after the grain was reloaded from storage. And every change a caller makes checks the
/// expected version.
/// </summary>
[Collection(CirtClusterCollection.Name)]
public sealed class IncidentRetryTests(CirtClusterFixture cluster) : IDisposable
{
    public void Dispose() => CallerRequest.Clear();

    private async Task<IIncidentGrain> OpenAsync()
    {
        var incident = await cluster.SubmitAsync(Reports.From("gridco"));
        return cluster.Grains.GetGrain<IIncidentGrain>(incident.TrackingId);
    }

    private static async Task<Incident> StoredAsync(IIncidentGrain grain) =>
        await grain.GetAsync() ?? throw new InvalidOperationException("The incident is gone.");

    private Task DeactivateAsync(IIncidentGrain grain) =>
        cluster.Grains.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());

    private static async Task<T> As<T>(RecentRequest request, Func<Task<T>> call)
    {
        CallerRequest.Set(request);
        try
        {
            return await call();
        }
        finally
        {
            CallerRequest.Clear();
        }
    }

    [Fact]
    public async Task ANoteSentAgainUnderTheSameRequestIsAddedOnceEvenAfterAReload()
    {
        var grain = await OpenAsync();
        var request = new RecentRequest("key-a", "digest-1");

        var first = await As(request, () => grain.AddNoteAsync("Called the GridCo SOC", Callers.Analyst));
        await DeactivateAsync(grain);
        var retried = await As(request, () => grain.AddNoteAsync("Called the GridCo SOC", Callers.Analyst));

        var stored = await StoredAsync(grain);
        Assert.Equal((2L, 2L, 2L), (first.Version, retried.Version, stored.Version));
        Assert.Single(stored.Timeline, e => e.Kind == "note");
    }

    [Fact]
    public async Task ATaskSentAgainUnderTheSameRequestIsAddedOnce()
    {
        var grain = await OpenAsync();
        var request = new RecentRequest("key-a", "digest-task");
        var task = new NewIncidentTask("Send the firewall logs", "gridco", "", null);

        await As(request, () => grain.AddTaskAsync(task, Callers.Analyst));
        await As(request, () => grain.AddTaskAsync(task, Callers.Analyst));

        Assert.Single((await StoredAsync(grain)).Tasks);
    }

    [Fact]
    public async Task ATransitionSentAgainUnderTheSameRequestAnswersTheIncidentInsteadOfRefusingIt()
    {
        var grain = await OpenAsync();
        var request = new RecentRequest("key-a", "digest-reject");

        var rejected = await As(request, () => grain.TriageAsync(Rejection, 1, Callers.Analyst));
        // Without its request the same triage is refused: a rejected incident is not triaged again.
        var replayed = await As(request, () => grain.TriageAsync(Rejection, 1, Callers.Analyst));

        Assert.Equal((IncidentStatus.Rejected, rejected.Version), (replayed.Status, replayed.Version));
        await Assert.ThrowsAsync<CirtException>(() => grain.TriageAsync(Rejection, 0, Callers.Analyst));
    }

    [Fact]
    public async Task TheSameRequestIdWithAnotherRequestIsRefusedOnRequestId()
    {
        var grain = await OpenAsync();
        await As(new RecentRequest("key-a", "digest-1"), () => grain.AddNoteAsync("Called the GridCo SOC", Callers.Analyst));

        var refused = await Assert.ThrowsAsync<CirtException>(
            () => As(new RecentRequest("key-a", "digest-2"), () => grain.AddNoteAsync("Something else", Callers.Analyst)));

        Assert.Equal((CirtErrorKind.InvalidArgument, "request_id"), (refused.Kind, refused.Field));
        Assert.Single((await StoredAsync(grain)).Timeline, e => e.Kind == "note");
    }

    [Fact]
    public async Task AnotherRequestIsApplied()
    {
        var grain = await OpenAsync();

        await As(new RecentRequest("key-a", "digest-1"), () => grain.AddNoteAsync("Called the GridCo SOC", Callers.Analyst));
        await As(new RecentRequest("key-b", "digest-1"), () => grain.AddNoteAsync("Called the GridCo SOC", Callers.Analyst));
        await grain.AddNoteAsync("Called the GridCo SOC", Callers.Analyst);

        Assert.Equal(3, (await StoredAsync(grain)).Timeline.Count(e => e.Kind == "note"));
    }

    [Fact]
    public async Task ChangesMadeOverAStaleVersionAreRefusedAsConflicts()
    {
        var grain = await OpenAsync();
        var triaged = await grain.TriageAsync(Acceptance, 1, Callers.Analyst);
        var stale = triaged.Version - 1;

        Func<Task>[] changes =
        [
            () => grain.AddNoteAsync("late", Callers.Analyst, TimelineVisibility.Unspecified, stale),
            () => grain.AddObservablesAsync([new Observable(ObservableType.Domain, "evil.example", "")], Callers.Analyst, stale),
            () => grain.AddTaskAsync(new NewIncidentTask("late", "gridco", "", null), Callers.Analyst, stale),
            () => grain.UpdateTaskAsync(1, IncidentTaskStatus.Done, "", Callers.Analyst, stale),
            () => grain.SetRestorationAsync("gridco", false, "", Callers.Analyst, stale),
            () => grain.ReferAsync("Police", "ref-1", "", Callers.Analyst, stale),
            () => grain.AddAffectedAsync(["gridco"], Callers.Analyst, stale),
            () => grain.LinkAsync("CIRT-2026-999999", Callers.Analyst, stale),
        ];
        foreach (var change in changes)
        {
            var refused = await Assert.ThrowsAsync<CirtException>(change);
            Assert.Equal((CirtErrorKind.Conflict, "expected_version"), (refused.Kind, refused.Field));
        }

        Assert.Equal(triaged.Version, (await StoredAsync(grain)).Version);
        var current = await grain.AddNoteAsync("on time", Callers.Analyst, TimelineVisibility.Unspecified, triaged.Version);
        Assert.Equal(triaged.Version + 1, current.Version);
    }

    private static readonly TriageDecision Acceptance =
        new(TriageOutcome.Accept, "malicious-code", "infected-system", Severity.High, Tlp.Amber, "ben", "", "");

    private static readonly TriageDecision Rejection =
        new(TriageOutcome.Reject, "", "", Severity.Unspecified, Tlp.Amber, "", "", "not an incident");
}
