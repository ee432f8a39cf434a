using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>
/// A change exists only once it is written: when storage fails, the caller is told nothing was
/// stored, readers keep seeing the version before, and no later write (nor a reload) brings the
/// failed change back.
/// </summary>
[Collection(CirtClusterCollection.Name)]
public sealed class IncidentStorageFailureTests(CirtClusterFixture cluster) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        cluster.Storage.Recover();
        cluster.Queue.Recover();
        return Task.CompletedTask;
    }

    private async Task<IIncidentGrain> OpenAsync()
    {
        var incident = await cluster.SubmitAsync(Reports.From("gridco"));
        return cluster.Grains.GetGrain<IIncidentGrain>(incident.TrackingId);
    }

    private static async Task<Incident> ReadAsync(IIncidentGrain grain) =>
        await grain.GetAsync() ?? throw new InvalidOperationException("The incident is gone.");

    private void FailWritesOf(IIncidentGrain grain)
    {
        var id = grain.GetGrainId();
        cluster.Storage.FailWritesOf(g => g == id);
    }

    private Task DeactivateAsync(IIncidentGrain grain) =>
        cluster.Grains.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());

    [Fact]
    public async Task ANoteStorageCannotWriteIsRefusedAsNotStoredAndNeverAppearsLater()
    {
        var grain = await OpenAsync();
        await grain.AddNoteAsync("Called the GridCo SOC", Callers.Analyst);
        var before = await ReadAsync(grain);

        FailWritesOf(grain);
        var refused = await Assert.ThrowsAsync<ChangeNotStoredException>(() => grain.AddNoteAsync("ghost note", Callers.Analyst));
        var seen = await ReadAsync(grain);
        var listed = await cluster.SiloService<IIncidentQueue>().QueryAsync(IncidentQuery.All() with { StakeholderId = "gridco", Limit = 10_000 });
        cluster.Storage.Recover();
        var after = await grain.AddNoteAsync("Asked the vendor for the HMI image", Callers.Analyst);
        await DeactivateAsync(grain);
        var reloaded = await ReadAsync(grain);

        Assert.Equal(1, cluster.Storage.FailedWrites);
        Assert.Contains("nothing was changed (it stays at version 2)", refused.Message, StringComparison.Ordinal);
        Assert.Equivalent(before, seen, strict: true);
        Assert.Equal(before.Version, listed.Page.Single(s => s.TrackingId == before.TrackingId).Version);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(["Called the GridCo SOC", "Asked the vendor for the HMI image"], after.Timeline.Where(e => e.Kind == "note").Select(e => e.Summary));
        Assert.Equal(Enumerable.Range(1, after.Timeline.Length), after.Timeline.Select(e => e.Sequence));
        Assert.Equivalent(after, reloaded, strict: true);
    }

    [Fact]
    public async Task ATriageStorageCannotWriteLeavesTheIncidentReportedAndCanBeSentAgain()
    {
        var grain = await OpenAsync();
        var accept = new TriageDecision(TriageOutcome.Accept, "malicious-code", "infected-system", Severity.High, null, "ben", "", "");

        FailWritesOf(grain);
        await Assert.ThrowsAsync<ChangeNotStoredException>(() => grain.TriageAsync(accept, 1, Callers.Analyst));
        var seen = await ReadAsync(grain);
        cluster.Storage.Recover();
        var triaged = await grain.TriageAsync(accept, 1, Callers.Analyst);
        await DeactivateAsync(grain);

        Assert.Equal((IncidentStatus.Reported, 1L, 0), (seen.Status, seen.Version, seen.Tasks.Length));
        Assert.Equal((IncidentStatus.Triaged, 2L), (triaged.Status, triaged.Version));
        Assert.Single(triaged.Timeline, e => e.Kind == "triaged");
        Assert.Single(triaged.Timeline, e => e.Kind == "tasks-created");
        Assert.Equivalent(triaged, await ReadAsync(grain), strict: true);
    }

    // NIS2 Art. 23(4)(c): a request for an intermediate report exists only once stored.
    [Fact]
    public async Task AnIntermediateReportRequestStorageCannotWriteSetsNoDeadlineAndCanBeSentAgain()
    {
        var incident = await cluster.SubmitAsync(Reports.From("gridco", significant: true));
        var grain = cluster.Grains.GetGrain<IIncidentGrain>(incident.TrackingId);
        var dueAt = DateTimeOffset.UtcNow.AddDays(2);

        FailWritesOf(grain);
        var refused = await Assert.ThrowsAsync<ChangeNotStoredException>(() => grain.RequestIntermediateReportAsync(dueAt, "status of the HMI?", Callers.Analyst));
        var seen = await ReadAsync(grain);
        cluster.Storage.Recover();
        var requested = await grain.RequestIntermediateReportAsync(dueAt, "status of the HMI?", Callers.Analyst);
        await DeactivateAsync(grain);

        Assert.Contains("nothing was changed (it stays at version 1)", refused.Message, StringComparison.Ordinal);
        Assert.Equivalent(incident, seen, strict: true);
        Assert.Equal(2L, requested.Version);
        Assert.Equal(dueAt, Assert.Single(requested.Deadlines, d => d.Kind == DeadlineKind.Nis2IntermediateReport).DueAt);
        Assert.Single(requested.Timeline, e => e.Kind == "nis2-intermediate-requested");
        Assert.Equivalent(requested, await ReadAsync(grain), strict: true);
    }

    [Fact]
    public async Task AReportWhoseIncidentCannotBeStoredOpensUnderTheSameTrackingIdWhenRetried()
    {
        var earlier = await cluster.SubmitAsync(Reports.From("gridco"));
        var incidentType = cluster.Grains.GetGrain<IIncidentGrain>(earlier.TrackingId).GetGrainId().Type;
        var report = Reports.From("gridco");

        cluster.Storage.FailWritesOf(g => g.Type == incidentType);
        var refused = await Assert.ThrowsAsync<ChangeNotStoredException>(() => cluster.SubmitAsync(report));
        cluster.Storage.Recover();
        var retried = await cluster.SubmitAsync(report);
        var next = await cluster.SubmitAsync(Reports.From("gridco"));
        var grain = cluster.Grains.GetGrain<IIncidentGrain>(retried.TrackingId);
        await DeactivateAsync(grain);
        var stored = await grain.GetAsync();

        // The failed attempt took the number after the earlier report's; the retry opens under it,
        // and the next report takes the one after: no number lost, no incident opened twice.
        Assert.Equal(Number(earlier) + 1, Number(retried));
        Assert.Equal(Number(retried) + 1, Number(next));
        Assert.EndsWith("could not be stored, so it was not opened. Send the report again shortly.", refused.Message, StringComparison.Ordinal);
        Assert.Equal((1L, report.Title), (retried.Version, retried.Title));
        Assert.Equivalent(retried, stored, strict: true);
    }

    [Fact]
    public async Task AChangeStoredWhileTheReadModelFailsIsAnsweredAsStoredAndReachesTheReadModelOnceItIsBack()
    {
        var grain = await OpenAsync();
        var id = grain.GetPrimaryKeyString();

        cluster.Queue.FailUpsertsOf(id);
        var noted = await grain.AddNoteAsync("Called the GridCo SOC", Callers.Analyst);
        var listedWhileDown = await ListedVersionAsync(id);
        cluster.Queue.Recover();
        var listed = await WaitForAsync(() => ListedVersionAsync(id), version => version == noted.Version);

        Assert.Equal(2, noted.Version);
        Assert.Equal(1, listedWhileDown);
        Assert.Equal(2, listed);
        Assert.Equivalent(noted, await ReadAsync(grain), strict: true);
    }

    private async Task<long> ListedVersionAsync(string trackingId) =>
        (await cluster.SiloService<IIncidentQueue>().QueryAsync(IncidentQuery.All(10_000) with { StakeholderId = "gridco" })).Page
        .Single(s => s.TrackingId == trackingId).Version;

    /// <summary>Reads until <paramref name="done"/> holds (the grain retries on its own timer); fails after 30 s.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var value = await read();
        while (!done(value))
        {
            Assert.True(DateTime.UtcNow < deadline, $"still {value} after 30 s");
            await Task.Delay(100);
            value = await read();
        }

        return value;
    }

    private static long Number(Incident incident) => long.Parse(incident.TrackingId[^6..], System.Globalization.CultureInfo.InvariantCulture);
}
