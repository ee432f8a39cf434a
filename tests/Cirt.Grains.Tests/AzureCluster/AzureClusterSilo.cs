using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Grains.Seeding;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Tests.Advisories;
using Cirt.Server.Extensions;
using Cirt.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Tests.AzureCluster;

/// <summary>
/// One silo of the cluster profile in this process, configured by the server's own extension methods
/// (<see cref="ClusterStorageExtensions"/>): membership, grain state and reminders on Azurite. Until
/// the PostgreSQL read model is merged, the incident queue and stakeholder directory are the
/// in-memory ones, registered here only.
/// </summary>
public sealed class AzureClusterSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private AzureClusterSilo(IHost host)
    {
        _host = host;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public T Service<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>A keyed service of the silo, such as one of its grain storage providers.</summary>
    public T Service<T>(string key) where T : notnull => _host.Services.GetRequiredKeyedService<T>(key);

    /// <summary>Starts a silo of <paramref name="names"/>' cluster; loads the seeds when <paramref name="seed"/>.</summary>
    public static async Task<AzureClusterSilo> StartAsync(AzureClusterNames names, bool seed = false)
    {
        var options = names.SiloOptions();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.AddCirtClusterMembership(options, names.Connections);
            silo.Configure<Orleans.Configuration.ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
            silo.AddCirtStorage(options, connections: names.Connections);
            silo.Services.AddSingleton<IIncidentQueue, InMemoryIncidentQueue>();
            silo.Services.AddSingleton<IStakeholderDirectory, InMemoryStakeholderDirectory>();
            silo.Services.AddSingleton<IShareQueue, RecordingShareQueue>();
        });
        var host = builder.Build();
        await host.StartAsync();
        var started = new AzureClusterSilo(host);
        if (seed)
        {
            await started.Service<SeedLoader>().LoadAsync(Seeds.Directory);
        }

        return started;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
