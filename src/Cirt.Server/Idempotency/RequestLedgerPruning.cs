using Cirt.Grains.Common;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Idempotency;

/// <summary>Forgets, every <see cref="IdempotencyOptions.PrunePeriod"/>, the answers older than the idempotency window.</summary>
public sealed class RequestLedgerPruning(
    IRequestLedger ledger,
    CirtClock clock,
    IOptions<IdempotencyOptions> options,
    ILogger<RequestLedgerPruning> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PrunePeriod);
        do
        {
            try
            {
                var pruned = await ledger.PruneAsync(clock.GetUtcNow() - options.Value.Window);
                logger.LogDebug("Request ledger: {Count} answers older than {Window} forgotten", pruned, options.Value.Window);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Kept for another period: a late prune keeps answers longer, it loses nothing.
                logger.LogWarning(ex, "Request ledger: answers older than {Window} could not be pruned; trying again later", options.Value.Window);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
