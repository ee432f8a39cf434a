using Cirt.Grains.Ingest.Feeds;

namespace Cirt.Server.Feeds;

/// <summary>
/// The feed registry as the ingest path reads it (<see cref="FeedPermits"/>), held in the process:
/// rebuilt from the registry grain on the first batch after a change, so that checking a batch's
/// events never calls a grain. Every change through <see cref="FeedGrpcService"/> counts itself here.
/// </summary>
public sealed class FeedDirectory(IGrainFactory grains, ILogger<FeedDirectory> logger)
{
    private readonly SemaphoreSlim _rebuilding = new(1, 1);
    private FeedPermits _permits = new([]);
    private long _changes;
    private long _builtAt = -1;

    /// <summary>How much each feed's quota is used in the current minute.</summary>
    public FeedQuotas Quotas { get; } = new();

    /// <summary>Says the registry changed: the next batch sees the change.</summary>
    public void Changed() => Interlocked.Increment(ref _changes);

    public async ValueTask<FeedPermits> CurrentAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Read(ref _changes) == Volatile.Read(ref _builtAt))
        {
            return Volatile.Read(ref _permits);
        }

        await _rebuilding.WaitAsync(cancellationToken);
        try
        {
            // Read before listing: a change made while the list is read makes the next batch rebuild again.
            var changes = Interlocked.Read(ref _changes);
            if (changes == Volatile.Read(ref _builtAt))
            {
                return Volatile.Read(ref _permits);
            }

            var feeds = await grains.GetGrain<IFeedRegistryGrain>(IFeedRegistryGrain.Key).ListAsync();
            var permits = new FeedPermits(feeds);
            Volatile.Write(ref _permits, permits);
            Volatile.Write(ref _builtAt, changes);
            logger.LogInformation("Feed permits rebuilt: {Feeds} feeds", permits.Count);
            return permits;
        }
        finally
        {
            _rebuilding.Release();
        }
    }
}
