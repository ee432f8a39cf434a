using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Cirt.Server.Federation;

/// <summary>
/// Delivers the outbox: one <see cref="DeliveryLane"/> per partner, partners in parallel, each
/// partner's messages one at a time in queue order. A new message, an approval or a resumed partner
/// wakes the partner's lane at once (<see cref="Wake"/>); besides, the outbox is looked at every
/// <see cref="DeliveryOptions.SweepInterval"/> (and at start) for partners with messages waiting.
/// Every silo of a cluster runs one; a partner's messages are delivered by whichever holds the
/// partner's <see cref="DeliveryClaim"/> (see <see cref="DeliveryLane"/>), under this dispatcher's
/// <see cref="Holder"/> name.
/// </summary>
public sealed class OutboxDispatcher(
    IGrainFactory grains,
    IFederationStore store,
    FederationIdentity identity,
    IOptions<FederationOptions> federation,
    IOptions<DeliveryOptions> options,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ConcurrentDictionary<string, DeliveryLane> _lanes = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<OutboxDispatcher>();
    private readonly TaskCompletionSource<CancellationToken> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The name this dispatcher claims partners' outboxes under: its machine, process and a random part, unique to it.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Messages for <paramref name="partnerId"/> may be due: its lane looks now.</summary>
    public void Wake(string partnerId)
    {
        var lane = _lanes.GetOrAdd(partnerId, id => new DeliveryLane(id, Holder, grains, store, identity, federation.Value, options.Value, TimeProvider.System,
            loggers.CreateLogger<DeliveryLane>()));
        if (_started.Task.IsCompletedSuccessfully)
        {
            lane.Start(_started.Task.Result);
        }

        lane.Wake();
    }

    /// <summary>The circuit breaker in front of <paramref name="partnerId"/>: closed until deliveries to it fail repeatedly.</summary>
    public CircuitState CircuitOf(string partnerId) => _lanes.TryGetValue(partnerId, out var lane) ? lane.Circuit : CircuitState.Closed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _started.TrySetResult(stoppingToken);
        foreach (var lane in _lanes.Values)
        {
            lane.Start(stoppingToken);
        }

        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        do
        {
            try
            {
                foreach (var partnerId in await store.PartnersWithQueuedAsync(stoppingToken))
                {
                    Wake(partnerId);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Outbox: the look for waiting messages failed; trying again in {Interval}", options.Value.SweepInterval);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var lane in _lanes.Values)
        {
            await lane.DisposeAsync();
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
