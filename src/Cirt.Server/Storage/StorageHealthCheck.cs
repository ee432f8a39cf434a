using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cirt.Server.Storage;

/// <summary>
/// Unhealthy (gRPC health NOT_SERVING) while storage refuses writes because the disk is full;
/// Degraded (still SERVING) while free space is below the warning threshold; Healthy otherwise.
/// In the cluster profile, which keeps no database files here, Unhealthy while PostgreSQL or Azure
/// Storage does not answer (<see cref="ClusterStorageProbe"/>).
/// Tagged <see cref="Tag"/>: it counts for readiness (the server's overall health, service ""),
/// not for liveness (<see cref="Extensions.GrpcExtensions.LivenessService"/>).
/// </summary>
public sealed class StorageHealthCheck(StorageHealth health, FreeSpaceWatcher freeSpace, ClusterStorageProbe? cluster = null) : IHealthCheck
{
    /// <summary>The tag of checks that say whether the server can take writes, rather than whether it runs.</summary>
    public const string Tag = "writes";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (cluster is not null)
        {
            var problems = await cluster.ProblemsAsync(cancellationToken);
            return problems.Count > 0 ? HealthCheckResult.Unhealthy(string.Join(" ", problems)) : HealthCheckResult.Healthy();
        }

        if (health.RefusingSince is { } since)
        {
            return HealthCheckResult.Unhealthy($"Storage is full since {since:O}: writes are refused.");
        }

        return freeSpace.Low
            ? HealthCheckResult.Degraded($"Free space is low: {freeSpace.FreeBytes / (1024 * 1024)} MiB left in the data folder's file system.")
            : HealthCheckResult.Healthy();
    }
}
