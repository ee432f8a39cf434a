using Cirt.Grains.Seeding;

namespace Cirt.Server.Seeding;

/// <summary>Loads seeds/ once the silo is up and before the gRPC endpoints accept calls.</summary>
public sealed class SeedingService(CirtOptions options, SeedLoader loader, ILogger<SeedingService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.LoadSeeds)
        {
            logger.LogInformation("Seed loading is turned off (Cirt:LoadSeeds=false)");
            return;
        }

        await loader.LoadAsync(options.ResolveSeedDirectory(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
