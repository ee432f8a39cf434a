using System.Diagnostics;
using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Cirt.Server.Telemetry;
using Grpc.Core;
using Grpc.Net.Client;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// Deliveries to one partner, one message at a time in queue order: the oldest queued message goes
/// first, and the next only once it is delivered or refused for good. Each delivery runs through the
/// partner's Polly pipeline (a timeout per call, retries with exponential backoff and jitter for
/// what may pass, a circuit breaker); when the pipeline gives up, the message stays queued with its
/// last error and a durable time for the next attempt. Nothing is sent while the partner is
/// suspended, or has no endpoint or no key of its to call it with.
/// A lane delivers only under the partner's <see cref="DeliveryClaim"/>: in a cluster every silo has
/// a lane per partner, and the claim lets one of them at a time deliver (renewed while it does,
/// given up when nothing is due, taken over by another silo once a dead silo's claim lapses); the
/// outbox writes of a delivery are fenced by it, so a lane that lost its claim changes nothing.
/// </summary>
public sealed class DeliveryLane : IAsyncDisposable
{
    /// <summary>The shortest wait for a claim another silo holds.</summary>
    private static readonly TimeSpan MinimumClaimWait = TimeSpan.FromMilliseconds(100);

    private readonly string _partnerId;
    private readonly string _holder;
    private readonly IGrainFactory _grains;
    private readonly IFederationStore _store;
    private readonly FederationIdentity _identity;
    private readonly FederationOptions _federation;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly Lock _gate = new();
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly ResiliencePipeline _pipeline;
    private GrpcChannel? _channel;
    private string _channelUrl = "";
    private int _failures;
    private string _lastFailure = "";
    private DeliveryClaim? _claim;

    /// <param name="holder">The name this lane's dispatcher claims deliveries under, unique to it.</param>
    public DeliveryLane(string partnerId, string holder, IGrainFactory grains, IFederationStore store, FederationIdentity identity, FederationOptions federation,
        DeliveryOptions options, TimeProvider time, ILogger logger)
    {
        (_partnerId, _holder, _grains, _store, _identity, _federation, _options, _time, _logger) =
            (partnerId, holder, grains, store, identity, federation, options, time, logger);
        _pipeline = BuildPipeline();
    }

    /// <summary>The loop, once started.</summary>
    public Task? Running { get; private set; }

    /// <summary>The partner's circuit breaker, as GetPartner shows it.</summary>
    public CircuitState Circuit => _circuit.CircuitState;

    /// <summary>Something may be waiting: look now.</summary>
    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Woken already.
        }
    }

    /// <summary>Starts the loop, once.</summary>
    public void Start(CancellationToken stopping)
    {
        lock (_gate)
        {
            Running ??= Task.Run(() => RunAsync(stopping), CancellationToken.None);
        }
    }

    /// <summary>Statuses that may pass: the call is retried, then the message tried again later.</summary>
    public static bool IsTransient(StatusCode status) => status is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled;

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan? wait;
            try
            {
                wait = await StepAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (Storage.StorageFull.Is(ex))
            {
                // federation.db told StorageHealth, which logs a full disk once, not at every attempt.
                wait = _options.RequeueDelay;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Outbox for partner {PartnerId}: delivery stopped by an unexpected failure; trying again", _partnerId);
                wait = _options.RequeueDelay;
            }

            if (wait == TimeSpan.Zero)
            {
                continue;
            }

            try
            {
                await _signal.WaitAsync(wait ?? Timeout.InfiniteTimeSpan, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Delivers the next message if one is due; how long to wait before looking again (null: until woken).</summary>
    private async Task<TimeSpan?> StepAsync(CancellationToken stopping)
    {
        var partner = await _grains.GetGrain<IPartnerGrain>(_partnerId).GetAsync();
        if (partner is null || partner.Status != PartnerStatus.Active || partner.EndpointUrl.Length == 0 || partner.OutboundApiKey.Length == 0)
        {
            await ReleaseClaimAsync(stopping);
            return null;
        }

        var waiting = await _store.NextQueuedAsync(_partnerId, stopping);
        var notYet = waiting is null ? null : Due(waiting);
        if (waiting is null || notYet is not null)
        {
            await ReleaseClaimAsync(stopping);
            return notYet;
        }

        var claim = await _store.ClaimDeliveryAsync(_partnerId, _holder, _options.ClaimLease, stopping);
        if (!claim.IsHeldBy(_holder))
        {
            // Another silo delivers to this partner: look again when its claim lapses, should it not renew it.
            _claim = null;
            var lapses = claim.ExpiresAt - _time.GetUtcNow();
            return lapses < MinimumClaimWait ? MinimumClaimWait : lapses > _options.ClaimLease ? _options.ClaimLease : lapses;
        }

        _claim = claim;
        // Read again under the claim: the silo that held it before may have delivered the message meanwhile.
        if (await _store.NextQueuedAsync(_partnerId, stopping) is not { } next || Due(next) is not null)
        {
            return TimeSpan.Zero;
        }

        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var renewal = KeepClaimAsync(claim, renewing.Token);
        try
        {
            await DeliverAsync(partner, next, claim, stopping);
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
        }

        return TimeSpan.Zero;
    }

    /// <summary>How long until <paramref name="message"/> is due; null when it is due now.</summary>
    private TimeSpan? Due(OutboxEntry message)
    {
        var now = _time.GetUtcNow();
        return message.NextAttemptAt is { } due && due > now ? due - now : null;
    }

    /// <summary>Renews <paramref name="claim"/> every third of its lease while a delivery runs (a call may outlast the lease).</summary>
    private async Task KeepClaimAsync(DeliveryClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.ClaimLease / 3, _time, cancellationToken);
                var renewed = await _store.ClaimDeliveryAsync(_partnerId, _holder, _options.ClaimLease, cancellationToken);
                if (!renewed.IsHeldBy(_holder) || renewed.Fence != claim.Fence)
                {
                    _logger.LogWarning("Outbox for partner {PartnerId}: the delivery claim passed to {Holder} during a delivery; its outcome will not be recorded here",
                        _partnerId, renewed.Holder);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The delivery ended.
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Outbox for partner {PartnerId}: the delivery claim could not be renewed", _partnerId);
        }
    }

    /// <summary>Gives the claim up, so that a silo with something for this partner need not wait for it to lapse.</summary>
    private async Task ReleaseClaimAsync(CancellationToken cancellationToken)
    {
        if (_claim is { } claim)
        {
            _claim = null;
            await _store.ReleaseDeliveryAsync(claim, cancellationToken);
        }
    }

    private void ClaimLost(string messageId, string what)
    {
        _claim = null;
        _logger.LogWarning("Outbox message {MessageId} to {PartnerId}: {What} not recorded, the delivery claim passed to another dispatcher, which delivers it",
            messageId, _partnerId, what);
    }

    private async Task DeliverAsync(Partner partner, OutboxEntry message, DeliveryClaim claim, CancellationToken stopping)
    {
        using var activity = CirtActivities.Source.StartActivity("federation delivery", ActivityKind.Client);
        activity?.SetTag("cirt.partner.id", partner.Id);
        long sequence;
        if (message.Sequence > 0)
        {
            sequence = message.Sequence;
        }
        else if (await _store.AssignSequenceAsync(claim, message.MessageId, stopping) is { } assigned)
        {
            sequence = assigned;
        }
        else
        {
            ClaimLost(message.MessageId, "its sequence number");
            return;
        }

        var client = new Proto.FederationService.FederationServiceClient(ChannelFor(partner.EndpointUrl));
        var headers = new Metadata { { "authorization", "Bearer " + partner.OutboundApiKey } };
        var calls = 0;
        try
        {
            var response = await _pipeline.ExecuteAsync(async token =>
            {
                calls++;
                var request = FederationEnvelopes.Request(_identity, message, sequence, partner.Id, _time.GetUtcNow(), _federation.EnvelopeLifetime);
                return await client.DeliverAsync(request, headers, cancellationToken: token);
            }, stopping);

            var now = _time.GetUtcNow();
            _failures = 0;
            if (FederationEnvelopes.ReceiptProblem(response, partner, _identity.InstanceId, message, now) is { } problem)
            {
                if (!await _store.MarkFailedAsync(claim, message.MessageId, calls, "Delivered, but " + problem, now, stopping))
                {
                    ClaimLost(message.MessageId, "its failure");
                    return;
                }

                _logger.LogWarning("Outbox message {MessageId} to {PartnerId}: {Problem}; marked failed", message.MessageId, partner.Id, problem);
                return;
            }

            if (!await _store.MarkDeliveredAsync(claim, message, calls, response.Receipt, response.Signature.ToByteArray(), response.KeyFingerprint, now, stopping))
            {
                ClaimLost(message.MessageId, "its delivery");
                return;
            }

            _logger.LogInformation("Outbox message {MessageId} ({Kind} {ItemId} v{Version}) delivered to {PartnerId} as {Sequence}{Duplicate}",
                message.MessageId, message.Kind, message.ItemId, message.ItemVersion, partner.Id, sequence, response.Duplicate ? " (a resend)" : "");
        }
        catch (RpcException ex) when (!IsTransient(ex.StatusCode))
        {
            var error = $"{Describe(ex.StatusCode)}: {ex.Status.Detail}";
            if (!await _store.MarkFailedAsync(claim, message.MessageId, calls, error, _time.GetUtcNow(), stopping))
            {
                ClaimLost(message.MessageId, "its refusal");
                return;
            }

            _logger.LogWarning("Outbox message {MessageId} to {PartnerId} refused for good ({Status}): {Detail}", message.MessageId, partner.Id, ex.StatusCode, ex.Status.Detail);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested && ex is RpcException or TimeoutRejectedException or BrokenCircuitException or HttpRequestException)
        {
            var now = _time.GetUtcNow();
            var wait = Backoff(++_failures);
            if (ex is BrokenCircuitException { RetryAfter: { } retryAfter } && retryAfter > wait)
            {
                wait = retryAfter;
            }

            var error = ex is BrokenCircuitException
                ? $"circuit open after repeated failures, deliveries wait (last: {_lastFailure})"
                : RememberFailure(ex);

            if (!await _store.RecordFailedAttemptAsync(claim, message.MessageId, calls, error, now, now + wait, stopping))
            {
                ClaimLost(message.MessageId, "its failed attempt");
                return;
            }

            _logger.LogWarning("Outbox message {MessageId} to {PartnerId} not delivered ({Error}); next attempt in {Wait}", message.MessageId, partner.Id, error, wait);
        }
    }

    /// <summary>Words for a failed attempt, kept as the last failure: an open circuit names what opened it.</summary>
    private string RememberFailure(Exception ex)
    {
        var error = ex switch
        {
            RpcException rpc => $"{Describe(rpc.StatusCode)}: {rpc.Status.Detail}",
            TimeoutRejectedException => $"no answer within {_options.AttemptTimeout.TotalSeconds:0.###} s",
            _ => ex.Message,
        };
        _lastFailure = error;
        return error;
    }

    /// <summary>The wait after the <paramref name="failures"/>th delivery in a row that gave up: doubling from the requeue delay up to its maximum, with jitter.</summary>
    private TimeSpan Backoff(int failures)
    {
        var doubled = _options.RequeueDelay * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = doubled < _options.MaxRequeueDelay ? doubled : _options.MaxRequeueDelay;
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.2));
    }

    private GrpcChannel ChannelFor(string url)
    {
        if (_channel is not null && _channelUrl == url)
        {
            return _channel;
        }

        _channel?.Dispose();
        _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            // Cancellation (the per-call timeout) ends a call with OperationCanceledException, which Polly's timeout recognises.
            ThrowOperationCanceledOnCancellation = true,
            MaxReceiveMessageSize = Limits.MaxMessageBytes,
            MaxSendMessageSize = Limits.MaxMessageBytes,
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = _options.AttemptTimeout,
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            },
        });
        _channelUrl = url;
        return _channel;
    }

    private ResiliencePipeline BuildPipeline()
    {
        var transient = new PredicateBuilder().Handle<RpcException>(ex => IsTransient(ex.StatusCode)).Handle<TimeoutRejectedException>();
        var builder = new ResiliencePipelineBuilder();
        if (_options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = _options.Retries,
                Delay = _options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = _options.MaxRequeueDelay,
                OnRetry = args =>
                {
                    // Attempts that fail inside the pipeline never reach DeliverAsync's catch: remember them here,
                    // so that the circuit they open can say why.
                    if (args.Outcome.Exception is { } failure)
                    {
                        RememberFailure(failure);
                    }

                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = transient,
            FailureRatio = _options.CircuitFailureRatio,
            MinimumThroughput = _options.CircuitMinimumThroughput,
            SamplingDuration = _options.CircuitSamplingDuration,
            BreakDuration = _options.CircuitBreakDuration,
            StateProvider = _circuit,
            OnOpened = args =>
            {
                if (args.Outcome.Exception is { } failure)
                {
                    RememberFailure(failure);
                }

                _logger.LogWarning("Partner {PartnerId}: circuit open for {BreakDuration} after repeated delivery failures", _partnerId, args.BreakDuration);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                _logger.LogInformation("Partner {PartnerId}: circuit closed, deliveries flow again", _partnerId);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(_options.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>A status as the proto names it, e.g. PERMISSION_DENIED.</summary>
    public static string Describe(StatusCode status)
    {
        var name = status.ToString();
        return string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) && char.IsLower(name[i - 1]) ? "_" + c : c.ToString())).ToUpperInvariant();
    }

    public async ValueTask DisposeAsync()
    {
        if (Running is { } running)
        {
            await running;
        }

        try
        {
            // Stopping: another silo may take this partner over at once rather than when the claim lapses.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await ReleaseClaimAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            _logger.LogInformation(ex, "Outbox for partner {PartnerId}: the delivery claim was not given up at stop; it lapses on its own", _partnerId);
        }

        _channel?.Dispose();
        _signal.Dispose();
    }
}
