using Cirt.Grains.Sectors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cirt.Server.Extensions;

/// <summary>Healthy when a grain answers through storage within two seconds.</summary>
public sealed class SiloHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<ISectorCatalogGrain>(ISectorCatalogGrain.Key).ListAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return HealthCheckResult.Unhealthy("The silo did not answer.", ex);
        }
    }
}
