using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Grains.Seeding;
using Cirt.Grains.Security;
using Cirt.Grains.Tests.Advisories;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Cirt.Grains.Tests.Cluster;

/// <summary>
/// One silo with the memory storage profile, seeded from seeds/ as the server seeds at start.
/// Shared by every grain test: tests use ids of their own so that they do not see each other.
/// </summary>
public sealed class CirtClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(initialSilosCount: 1)
        .AddSiloBuilderConfigurator<CirtSiloConfigurator>()
        .Build();

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>How many entries the seed load at cluster start created.</summary>
    public int FirstSeedLoadCreated { get; private set; }

    /// <summary>A service as the grains see it, from the silo's container.</summary>
    public T SiloService<T>() where T : notnull => Cluster.GetSiloServiceProvider().GetRequiredService<T>();

    /// <summary>The silo's grain storage, which tests make fail on demand.</summary>
    public FailingGrainStorage Storage => (FailingGrainStorage)Cluster.GetSiloServiceProvider().GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(Common.StorageNames.Cirt);

    /// <summary>The silo's read model of incidents, which tests make fail on demand.</summary>
    public FailingIncidentQueue Queue => (FailingIncidentQueue)SiloService<IIncidentQueue>();

    /// <summary>The outbox the advisory grains hand what partners are owed to; it records every call.</summary>
    public RecordingShareQueue Outbox => (RecordingShareQueue)SiloService<IShareQueue>();

    /// <summary>
    /// Submits <paramref name="report"/> as the gRPC service does, through its submission grain, sent
    /// by <paramref name="submitter"/> (by default the reporter's operator "duty-officer").
    /// </summary>
    public Task<Incident> SubmitAsync(IncidentReport report, Principal? submitter = null) =>
        Grains.GetGrain<ISubmissionGrain>(SubmissionGrain.KeyFor(report.ReporterStakeholderId, report.RequestId))
            .SubmitAsync(report, submitter ?? new Principal("", "duty-officer", Role.Operator, report.ReporterStakeholderId, ""));

    public async Task InitializeAsync()
    {
        await Cluster.DeployAsync();
        FirstSeedLoadCreated = await SiloService<SeedLoader>().LoadAsync(Seeds.Directory);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
