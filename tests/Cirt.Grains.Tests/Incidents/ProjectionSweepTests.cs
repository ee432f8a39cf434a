using Cirt.Grains.Incidents;
using Cirt.Grains.Seeding;
using Cirt.Grains.Security;
using Cirt.Grains.Tests.Cluster;
using Cirt.Server.Incidents;
using Cirt.Tests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>
/// The cluster profile's read model never misses a change: a silo stopped between an incident's
/// state write and its publication leaves a pending-projection mark, which the sweeper finds and
/// turns into the publication, with no one calling the incident.
/// </summary>
public sealed class ProjectionSweepTests : IAsyncLifetime
{
    private ClusterServices.TestDatabase? _database;
    private TestCluster? _cluster;

    private T SiloService<T>() where T : notnull => _cluster!.GetSiloServiceProvider().GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        _database = await ClusterServices.CreateDatabaseAsync("cirtsweep");
        var builder = new TestClusterBuilder(initialSilosCount: 1);
        builder.Properties[PostgresReadModelSiloConfigurator.ConnectionKey] = _database.ConnectionString;
        builder.Properties[$"{ProjectionSweepOptions.Section}:Period"] = "00:00:00.2";
        builder.Properties[$"{ProjectionSweepOptions.Section}:Grace"] = "00:00:01";
        builder.AddSiloBuilderConfigurator<PostgresReadModelSiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await SiloService<SeedLoader>().LoadAsync(Seeds.Directory);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task AChangeStoredButNeverPublishedReachesTheQueueWithNoOneTouchingTheIncident()
    {
        var report = Reports.From("gridco");
        var opened = await _cluster!.Client.GetGrain<ISubmissionGrain>(SubmissionGrain.KeyFor(report.ReporterStakeholderId, report.RequestId))
            .SubmitAsync(report, new Principal("", "duty-officer", Role.Operator, "gridco", ""));
        var grain = _cluster.Client.GetGrain<IIncidentGrain>(opened.TrackingId);
        var queue = SiloService<IIncidentQueue>();
        Assert.Equal(opened.Version, await ListedVersionAsync(queue, opened.TrackingId));

        // The next change is stored, its publication lost, and the activation gone: as when the silo is killed between the two.
        var lost = (LostPublicationQueue)queue;
        lost.LoseNextOf(opened.TrackingId);
        var changed = await grain.AddNoteAsync("Called the GridCo SOC", Callers.Analyst);
        await _cluster.Client.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        Assert.Equal(1, lost.Lost);
        Assert.Equal(opened.Version, await ListedVersionAsync(queue, opened.TrackingId));

        // The sweeper alone brings the queue to the stored version, and the mark is gone.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ListedVersionAsync(queue, opened.TrackingId) != changed.Version)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{opened.TrackingId} version {changed.Version} never reached the queue");
            await Task.Delay(100);
        }

        Assert.Equal(0, await MarksAsync());
    }

    [Fact]
    public async Task AMarkOfAWriteThatWasNeverStoredIsDroppedAndChangesNothing()
    {
        var report = Reports.From("gridco");
        var opened = await _cluster!.Client.GetGrain<ISubmissionGrain>(SubmissionGrain.KeyFor(report.ReporterStakeholderId, report.RequestId))
            .SubmitAsync(report, new Principal("", "duty-officer", Role.Operator, "gridco", ""));
        // A mark for the next version, as a write that storage then refused leaves behind.
        await SiloService<IProjectionMarks>().MarkAsync(opened.TrackingId, opened.Version + 1);
        var queue = SiloService<IIncidentQueue>();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await MarksAsync() > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the mark of a version never stored was never dropped");
            await Task.Delay(100);
        }

        Assert.Equal(opened.Version, await ListedVersionAsync(queue, opened.TrackingId));
    }

    private static async Task<long?> ListedVersionAsync(IIncidentQueue queue, string trackingId)
    {
        var (page, _) = await queue.QueryAsync(IncidentQuery.All() with { Limit = 10_000 });
        return page.SingleOrDefault(i => i.TrackingId == trackingId)?.Version;
    }

    private async Task<long> MarksAsync()
    {
        await using var connection = new NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM projection_pending;", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
