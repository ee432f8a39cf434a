using Cirt.Grains.Advisories;

namespace Cirt.Server.Advisories;

/// <summary>
/// At start, hands to the outbox whatever advisories still owe partners: a change stored just before
/// the process stopped (or while the outbox failed) is queued now (<see cref="IAdvisoryGrain.EnsureSharedAsync"/>).
/// Advisories are few, so it reads them all.
/// </summary>
public sealed class AdvisoryShareSweep(IGrainFactory grains, ILogger<AdvisoryShareSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var advisory in await grains.AllAsync())
            {
                stoppingToken.ThrowIfCancellationRequested();
                if (advisory.PendingShares.Length == 0)
                {
                    continue;
                }

                var after = await grains.GetGrain<IAdvisoryGrain>(advisory.Id).EnsureSharedAsync();
                logger.LogInformation("Advisory {AdvisoryId}: {Owed} message(s) to partners were still owed at start; {Left} still are",
                    advisory.Id, advisory.PendingShares.Length, after?.PendingShares.Length ?? 0);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Each advisory also tries again on its own while it is active and at its next activation.
            logger.LogError(ex, "Advisories: what partners are still owed could not be handed to the outbox at start");
        }
    }
}
