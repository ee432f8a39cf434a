using Cirt.Grains.Partners;
using Cirt.Grains.Tests.Advisories;
using Cirt.Server;
using Cirt.Server.Extensions;
using Cirt.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Cirt.Grains.Tests.Cluster;

/// <summary>
/// A test silo with grain state in memory and the cluster profile's read model in PostgreSQL (the
/// database named by configuration key <see cref="ConnectionKey"/>), pending-projection marks and
/// their sweeper included, the read model wrapped so that a test can lose a publication
/// (<see cref="LostPublicationQueue"/>).
/// </summary>
public sealed class PostgresReadModelSiloConfigurator : ISiloConfigurator
{
    public const string ConnectionKey = "ReadModelConnection";

    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddCirtStorage(new CirtOptions { Storage = StorageProfile.Memory, SeedDirectory = Seeds.Directory });
        var connection = siloBuilder.Configuration[ConnectionKey] ?? throw new InvalidOperationException($"Configuration key {ConnectionKey} is not set.");
        siloBuilder.Services.AddSingleton(PostgresDatabase.Open(connection, Path.Combine(AppContext.BaseDirectory, "sql", "postgresql")));
        siloBuilder.AddCirtPostgresReadModel();
        LostPublicationQueue.Decorate(siloBuilder.Services);
        siloBuilder.Services.AddSingleton<IShareQueue, RecordingShareQueue>();
    }
}
