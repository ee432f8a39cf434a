using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Cirt.Server;
using Cirt.Server.Storage;
using Cirt.Tests;

namespace Cirt.Grains.Tests.AzureCluster;

/// <summary>
/// A cluster of one test: its own ClusterId, ServiceId, tables and container in Azurite, and its own
/// PostgreSQL database, all removed by <see cref="DisposeAsync"/>.
/// </summary>
public sealed class AzureClusterNames : IAsyncDisposable
{
    private AzureClusterNames(ClusterServices.TestDatabase database)
    {
        Database = database;
    }

    public ClusterServices.TestDatabase Database { get; }

    public string ClusterId { get; } = ClusterServices.UniqueName("c");

    public string ServiceId { get; } = ClusterServices.UniqueName("s");

    public ClusterProfileOptions Cluster { get; } = new()
    {
        MembershipTable = ClusterServices.UniqueName("members"),
        GrainStateTable = ClusterServices.UniqueName("state"),
        GrainStateContainer = ClusterServices.UniqueName("state"),
        ReminderTable = ClusterServices.UniqueName("reminders"),
        AdvertisedAddress = "127.0.0.1",
        ListenAddress = "127.0.0.1",
    };

    public ClusterConnections Connections => new(ClusterServices.AzureStorage, Database.ConnectionString);

    public static async Task<AzureClusterNames> CreateAsync()
    {
        await ClusterServices.EnsureAzuriteAsync();
        return new AzureClusterNames(await ClusterServices.CreateDatabaseAsync("cirtorleans"));
    }

    /// <summary>Settings for one more silo of this cluster, on ports of its own.</summary>
    public CirtOptions SiloOptions() => new()
    {
        Storage = StorageProfile.Cluster,
        SeedDirectory = Seeds.Directory,
        ClusterId = ClusterId,
        ServiceId = ServiceId,
        SiloPort = LoopbackPorts.Next(),
        GatewayPort = LoopbackPorts.Next(),
        Cluster = Cluster,
    };

    public TableClient Table(string name) => new TableServiceClient(ClusterServices.AzureStorage).GetTableClient(name);

    public BlobContainerClient Container() => new BlobServiceClient(ClusterServices.AzureStorage).GetBlobContainerClient(Cluster.GrainStateContainer);

    public async ValueTask DisposeAsync()
    {
        foreach (var table in new[] { Cluster.MembershipTable, Cluster.GrainStateTable, Cluster.ReminderTable })
        {
            await Table(table).DeleteAsync();
        }

        await Container().DeleteIfExistsAsync();
        await Database.DisposeAsync();
    }
}
