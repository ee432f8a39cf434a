using Cirt.Server.Storage;

namespace Cirt.Server.Extensions;

/// <summary>
/// The cluster profile (Cirt:Storage=Cluster): Orleans membership, grain state and reminders on
/// Azure Storage; the read model and the other stores in PostgreSQL (<see cref="PostgresDatabase"/>).
/// </summary>
public static class ClusterStorageExtensions
{
    /// <summary>Orleans membership on Azure Table storage: silos find each other through the ClusterId's rows.</summary>
    public static ISiloBuilder AddCirtClusterMembership(this ISiloBuilder silo, CirtOptions options, ClusterConnections connections)
    {
        // In a Kubernetes pod (Cirt:Cluster:Kubernetes=true): pod name and address, pod watching. Nothing otherwise.
        silo.AddCirtKubernetesHosting();

        throw new StartupRefusedException(["Cirt:Storage=Cluster is being built (issue 12): membership on Azure Storage is not wired yet."]);
    }

    /// <summary>Grain state and reminders on Azure Storage, the query side in PostgreSQL.</summary>
    public static ISiloBuilder AddCirtClusterStorage(this ISiloBuilder silo, CirtOptions options, ClusterConnections connections)
    {
        var postgres = PostgresDatabase.Open(connections.Postgres, Path.Combine(AppContext.BaseDirectory, "sql", "postgresql"));
        silo.Services.AddSingleton(postgres);
        silo.Services.AddSingleton(connections);
        return silo;
    }
}
