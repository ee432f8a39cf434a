using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Cirt.Grains.Tests.Incidents;
using Cirt.Server.Storage;
using Orleans.Storage;
using Xunit.Abstractions;

namespace Cirt.Grains.Tests.AzureCluster;

/// <summary>
/// The cluster profile's Orleans storage on Azurite: what grains write is there after they leave
/// memory, reminders are rows of the Azure reminder table, and silos of one ClusterId form one cluster.
/// </summary>
public sealed class AzureClusterStorageTests(ITestOutputHelper output)
{
    private static Observable[] Batch(int from, int count) =>
        Enumerable.Range(from, count)
            .Select(i => new Observable(ObservableType.Url, $"https://cdn{i:D5}.payload-distribution.example/stage2/loader-{i:D5}.bin", ""))
            .ToArray();

    [Fact]
    public async Task AnIncidentWithTenThousandObservablesAndLongNotesIsReadBackWholeAfterItsGrainWasDeactivated()
    {
        await using var names = await AzureClusterNames.CreateAsync();
        await using var silo = await AzureClusterSilo.StartAsync(names, seed: true);
        var opened = await silo.Grains.GetGrain<ISubmissionGrain>(SubmissionGrain.KeyFor("gridco", Guid.NewGuid().ToString("N")))
            .SubmitAsync(Reports.From("gridco"), new Principal("", "duty-officer", Role.Operator, "gridco", ""));
        var incident = silo.Grains.GetGrain<IIncidentGrain>(opened.TrackingId);
        for (var from = 0; from < Limits.ObservablesPerIncident; from += Limits.ObservablesPerRequest)
        {
            await incident.AddObservablesAsync(Batch(from, Limits.ObservablesPerRequest), Callers.Analyst);
        }

        // And the analysts' notes of a long incident: 30 of the longest.
        for (var note = 0; note < 30; note++)
        {
            await incident.AddNoteAsync($"Shift {note}: " + new string('x', Limits.NoteLength - 10), Callers.Analyst);
        }

        await silo.Grains.GetGrain<IManagementGrain>(0).DeactivateGrain(incident.GetGrainId());
        var stored = await incident.GetAsync();

        Assert.NotNull(stored);
        Assert.Equal(Limits.ObservablesPerIncident, stored.Observables.Length);
        Assert.Equal(Batch(0, Limits.ObservablesPerIncident).Select(o => o.Value), stored.Observables.Select(o => o.Value));
        Assert.Equal(30, stored.Timeline.Count(e => e.Kind == "note"));
        var blobs = new List<(string Name, long Bytes)>();
        await foreach (var blob in names.Container().GetBlobsAsync())
        {
            blobs.Add((blob.Name, blob.Properties.ContentLength ?? 0));
        }

        var largest = blobs.MaxBy(b => b.Bytes);
        output.WriteLine($"Largest state blob: {largest.Name}, {largest.Bytes:N0} bytes");
        Assert.Contains(opened.TrackingId, largest.Name, StringComparison.Ordinal);

        // The reason incidents are kept in Blob storage: the same state does not fit a Table entity.
        var state = new GrainState<IncidentState>();
        await silo.Service<IGrainStorage>(ClusterGrainStorage.BlobProvider).ReadStateAsync("incident", incident.GetGrainId(), state);
        Assert.Equal(Limits.ObservablesPerIncident, state.State?.Incident?.Observables.Length);
        state.ETag = null;
        var refused = await Record.ExceptionAsync(() =>
            silo.Service<IGrainStorage>(ClusterGrainStorage.TableProvider).WriteStateAsync("incident", GrainId.Create("incident", "too-large-for-a-table"), state));
        output.WriteLine($"Written to a Table entity: {refused?.GetType().Name}: {refused?.Message}");
        Assert.NotNull(refused);
    }

    [Fact]
    public async Task ASignificantIncidentsDeadlineReminderIsARowOfTheAzureReminderTable()
    {
        await using var names = await AzureClusterNames.CreateAsync();
        string trackingId;
        await using (var silo = await AzureClusterSilo.StartAsync(names, seed: true))
        {
            var opened = await silo.Grains.GetGrain<ISubmissionGrain>(SubmissionGrain.KeyFor("gridco", Guid.NewGuid().ToString("N")))
                .SubmitAsync(Reports.From("gridco", significant: true), new Principal("", "duty-officer", Role.Operator, "gridco", ""));
            trackingId = opened.TrackingId;
        }

        var rows = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var row in names.Table(names.Cluster.ReminderTable).QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            rows.Add(row);
        }

        Assert.Contains(rows, row => row.GetString("GrainReference")?.Contains(trackingId, StringComparison.Ordinal) == true
                                     && row.GetString("ReminderName") == "deadlines");
    }

    [Fact]
    public async Task TwoSilosOfOneClusterIdFormOneClusterAndCallsFromEitherReachTheSameGrain()
    {
        await using var names = await AzureClusterNames.CreateAsync();
        await using var first = await AzureClusterSilo.StartAsync(names);
        await using var second = await AzureClusterSilo.StartAsync(names);
        foreach (var silo in new[] { first, second })
        {
            await ClusterWait.UntilAsync(
                () => silo.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true), hosts => hosts.Count == 2,
                TimeSpan.FromSeconds(60), "The two silos did not see each other as active within 60 s.");
        }

        var numbers = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            var via = i % 2 == 0 ? first : second;
            numbers.Add(await via.Grains.GetGrain<ITrackingNumberGrain>("orleans-test").NextAsync());
        }

        // One activation, whichever silo was asked: the numbers run on without a repeat.
        Assert.Equal(Enumerable.Range(1, 10).Select(n => (long)n), numbers);
    }
}
