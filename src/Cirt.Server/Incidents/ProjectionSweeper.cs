using Cirt.Grains.Incidents;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Incidents;

/// <summary>
/// Wakes the incidents a stopped silo left stored but not published (<see cref="IProjectionMarks"/>):
/// at start and every <see cref="ProjectionSweepOptions.Period"/>, each incident with a mark older
/// than <see cref="ProjectionSweepOptions.Grace"/> is asked to publish what it has stored
/// (<see cref="IIncidentGrain.RepublishAsync"/>). Every silo sweeps; an incident woken twice
/// publishes the same version twice, which the read model's version gate makes harmless.
/// </summary>
public sealed class ProjectionSweeper(
    IProjectionMarks marks, IGrainFactory grains, IOptions<ProjectionSweepOptions> options, ILogger<ProjectionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Period);
        try
        {
            do
            {
                await SweepAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sweep; returns how many incidents it woke.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stranded = await marks.StrandedAsync(options.Value.Grace, options.Value.Limit, cancellationToken);
            await Parallel.ForEachAsync(stranded, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (trackingId, _) => await grains.GetGrain<IIncidentGrain>(trackingId).RepublishAsync());
            if (stranded.Count > 0)
            {
                logger.LogWarning("Read model: {Incidents} incident(s) stored but not published (a silo stopped between the two) were published again", stranded.Count);
            }

            return stranded.Count;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Read model: the sweep of incidents stored but not published failed; it is tried again in {Period}", options.Value.Period);
            return 0;
        }
    }
}
