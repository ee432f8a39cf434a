using System.Net;
using Cirt.Grains.Common;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Storage;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Cirt.Server.Extensions;

/// <summary>
/// The cluster profile (Cirt:Storage=Cluster): Orleans membership, grain state and reminders on
/// Azure Storage; the read model and the other stores in PostgreSQL (<see cref="PostgresDatabase"/>).
/// </summary>
public static class ClusterStorageExtensions
{
    /// <summary>
    /// Orleans membership on Azure Table storage: silos find each other through the ClusterId's rows
    /// in Cirt:Cluster:MembershipTable, listen on Cirt:SiloPort and Cirt:GatewayPort at
    /// Cirt:Cluster:ListenAddress, are reached at Cirt:Cluster:AdvertisedAddress, and declare a
    /// silent silo dead on <see cref="MembershipTimings"/>. Refuses to start when the storage account
    /// is not usable (<see cref="AzureStorageCheck"/>).
    /// </summary>
    public static ISiloBuilder AddCirtClusterMembership(this ISiloBuilder silo, CirtOptions options, ClusterConnections connections)
    {
        // In a Kubernetes pod (Cirt:Cluster:Kubernetes=true): pod name and address, pod watching. Nothing otherwise.
        silo.AddCirtKubernetesHosting();

        var cluster = options.Cluster;
        AzureStorageCheck.Ensure(connections.AzureStorage, cluster.MembershipTable);
        silo.UseAzureStorageClustering(table =>
        {
            table.TableName = cluster.MembershipTable;
            table.TableServiceClient = new Azure.Data.Tables.TableServiceClient(connections.AzureStorage);
        });
        var advertised = IPAddress.Parse(cluster.AdvertisedAddress);
        var listen = IPAddress.Parse(cluster.ListenAddress);
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.AdvertisedIPAddress = advertised;
            endpoints.SiloPort = options.SiloPort;
            endpoints.GatewayPort = options.GatewayPort;
            endpoints.SiloListeningEndpoint = new IPEndPoint(listen, options.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(listen, options.GatewayPort);
        });
        silo.Configure<ClusterMembershipOptions>(MembershipTimings.Apply);
        return silo;
    }

    /// <summary>
    /// Grain state on Azure Storage (<see cref="ClusterGrainStorage"/>: Table for small state, Blob
    /// for state that grows) in Orleans' binary format, reminders in an Azure Table, and the query
    /// side in PostgreSQL.
    /// </summary>
    public static ISiloBuilder AddCirtClusterStorage(this ISiloBuilder silo, CirtOptions options, ClusterConnections connections)
    {
        var cluster = options.Cluster;
        silo.AddAzureTableGrainStorage(ClusterGrainStorage.TableProvider, table =>
        {
            table.TableName = cluster.GrainStateTable;
            table.TableServiceClient = new Azure.Data.Tables.TableServiceClient(connections.AzureStorage);
        });
        silo.AddAzureBlobGrainStorage(ClusterGrainStorage.BlobProvider, blob =>
        {
            blob.ContainerName = cluster.GrainStateContainer;
            blob.BlobServiceClient = new Azure.Storage.Blobs.BlobServiceClient(connections.AzureStorage);
        });
        // Orleans' binary format, as the embedded profile stores it: version-tolerant through the
        // [Id]s, and several times smaller than JSON, which keeps more grains within a Table entity.
        silo.Services.AddOptions<AzureTableStorageOptions>(ClusterGrainStorage.TableProvider)
            .Configure<Serializer>((table, serializer) => table.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        silo.Services.AddOptions<AzureBlobStorageOptions>(ClusterGrainStorage.BlobProvider)
            .Configure<Serializer>((blob, serializer) => blob.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Cirt, (services, _) => new ClusterGrainStorage(
            services.GetRequiredKeyedService<IGrainStorage>(ClusterGrainStorage.TableProvider),
            services.GetRequiredKeyedService<IGrainStorage>(ClusterGrainStorage.BlobProvider)));
        silo.UseAzureTableReminderService(reminders =>
        {
            reminders.TableName = cluster.ReminderTable;
            reminders.TableServiceClient = new Azure.Data.Tables.TableServiceClient(connections.AzureStorage);
        });

        var postgres = PostgresDatabase.Open(connections.Postgres, Path.Combine(AppContext.BaseDirectory, "sql", "postgresql"));
        silo.Services.AddSingleton(postgres);
        silo.Services.AddSingleton(connections);
        silo.Services.AddSingleton(new ClusterStorageProbe(postgres, new Azure.Data.Tables.TableServiceClient(connections.AzureStorage), cluster.MembershipTable));
        silo.Services.AddSingleton<IStakeholderDirectory, PostgresStakeholderDirectory>();
        silo.Services.AddSingleton<ClusterSecrets>();
        silo.AddCirtPostgresReadModel();
        return silo;
    }
}
