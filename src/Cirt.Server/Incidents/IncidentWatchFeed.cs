using Cirt.Grains.Incidents;

namespace Cirt.Server.Incidents;

/// <summary>
/// Feeds every open WatchIncidents stream from one loop, four times a second, on the same seam as
/// the inbox (<see cref="Inbox.InboxFeed"/>): the incidents the read model took since the last
/// look, by change number (so whichever silo wrote them), pushed to the streams they may concern.
/// A change reaches its watchers within a second; with nobody watching the loop only keeps up with
/// the latest change number.
/// </summary>
public sealed class IncidentWatchFeed(IIncidentQueue queue, IncidentWatchers watchers, ILogger<IncidentWatchFeed> logger) : BackgroundService
{
    /// <summary>How often the feed looks.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private const int ChangesPerRead = 500;

    private long _through;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _through = (await queue.ChangesAsync(0, 0, stoppingToken)).Through;
            using var timer = new PeriodicTimer(Interval);
            var failing = false;
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await LookAsync(stoppingToken);
                    if (failing)
                    {
                        failing = false;
                        logger.LogInformation("The incident watch feed reads what changed again");
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Nothing is lost: the next look starts from the same change number. Said once, not every look.
                    if (!failing)
                    {
                        failing = true;
                        logger.LogWarning(ex, "The incident watch feed could not read what changed; it tries again every {Interval}", Interval);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }

    private async Task LookAsync(CancellationToken cancellationToken)
    {
        if (watchers.IsEmpty)
        {
            // Read before the streams are counted again: a stream opened meanwhile (which reads its
            // snapshot after subscribing) misses nothing written after it.
            var latest = (await queue.ChangesAsync(_through, 0, cancellationToken)).Through;
            if (watchers.IsEmpty)
            {
                _through = latest;
                return;
            }
        }

        IncidentChanges changes;
        do
        {
            changes = await queue.ChangesAsync(_through, ChangesPerRead, cancellationToken);
            foreach (var incident in changes.Incidents)
            {
                watchers.Publish(incident);
            }

            _through = changes.Through;
        }
        while (changes.More);
    }
}
