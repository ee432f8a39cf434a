using Cirt.Grains.Seeding;
using Cirt.Server.Storage;

namespace Cirt.Server.Seeding;

/// <summary>
/// Loads seeds/ once the silo is up and before the gRPC endpoints accept calls. In the cluster
/// profile silos starting together load them one after another (a PostgreSQL advisory lock): the
/// second finds every entry loaded and creates nothing.
/// </summary>
public sealed class SeedingService(CirtOptions options, SeedLoader loader, ILogger<SeedingService> logger, PostgresDatabase? cluster = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.LoadSeeds)
        {
            logger.LogInformation("Seed loading is turned off (Cirt:LoadSeeds=false)");
            return;
        }

        if (cluster is null)
        {
            await loader.LoadAsync(options.ResolveSeedDirectory(), cancellationToken);
            return;
        }

        await using var seeding = await PostgresAdvisoryLock.TakeAsync(cluster, PostgresAdvisoryLock.Seeds, cancellationToken);
        await loader.LoadAsync(options.ResolveSeedDirectory(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
