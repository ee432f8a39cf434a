using System.Diagnostics;
using System.Runtime;
using Cirt.Grains.Common;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Ingest;

/// <summary>
/// Gives the memory of a large aggregation pass back to the system once its grains are gone. A pass
/// of tens of thousands of incidents activates as many incident and aggregate grains; Orleans
/// deactivates them once idle for <see cref="GrainLifetimeOptions.IncidentsIdleAfter"/> (checking
/// every <see cref="GrainLifetimeOptions.CollectionQuantum"/>), but an idle server allocates nothing,
/// so no collection runs and the process keeps its peak size. Two quanta after the grains' age has
/// passed since the last large pass (<see cref="IngestAggregator.LastLargePassAt"/>), with no large
/// pass since, one compacting collection returns the free memory (a pause well under a second);
/// once per large pass at most.
/// </summary>
public sealed class MemoryAfterLargePass(
    IngestAggregator aggregator,
    IOptions<GrainLifetimeOptions> lifetimes,
    CirtClock clock,
    ILogger<MemoryAfterLargePass> logger) : BackgroundService
{
    private DateTimeOffset? _trimmedFor;

    /// <summary>How long after a large pass the memory is given back.</summary>
    public TimeSpan Delay => lifetimes.Value.IncidentsIdleAfter + 2 * GrainLifetimeOptions.CollectionQuantum;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(GrainLifetimeOptions.CollectionQuantum);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (aggregator.LastLargePassAt is { } at && at != _trimmedFor && clock.GetUtcNow() - at >= Delay)
            {
                _trimmedFor = at;
                Trim();
            }
        }
    }

    private void Trim()
    {
        var before = Environment.WorkingSet;
        var started = Stopwatch.StartNew();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        logger.LogInformation(
            "Memory given back after a large aggregation pass: working set {BeforeMb} MB before, {AfterMb} MB after ({PauseMs} ms)",
            before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024), started.ElapsedMilliseconds);
    }
}
