using System.Net.Sockets;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Polly;
using Polly.Retry;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Every call the console makes, made patient and safe to repeat:
/// <list type="bullet">
/// <item>each unary call gets a deadline (<see cref="ResilienceOptions.Timeout"/>) unless it has one;
/// server streams (following the inbox) get none;</item>
/// <item>a request with a <c>request_id</c> field gets an id before its first attempt
/// (<see cref="RequestIds"/>), so every retry repeats the same id and the server applies it once;</item>
/// <item>a call that may be sent again (a read, see <see cref="CallKinds"/>, or a request carrying a
/// request id) is retried with exponential backoff and jitter (a Polly pipeline) when the server is
/// UNAVAILABLE, and a read also when its deadline passed (DEADLINE_EXCEEDED); any call that never
/// reached a server (the connection was refused) is retried too, since nothing was applied;</item>
/// <item>given several server addresses, UNAVAILABLE moves on to the next one for the retry (one
/// channel per address, created when first used); a server stream that breaks reconnects to the next.</item>
/// </list>
/// </summary>
public sealed class ResilientCallInvoker : CallInvoker, IDisposable
{
    private readonly string[] _addresses;
    private readonly string? _apiKey;
    private readonly ResilienceOptions _options;
    private readonly GrpcChannel?[] _channels;
    private readonly CallInvoker?[] _invokers;
    private readonly Lock _lock = new();
    private readonly ResiliencePipeline _reads;
    private readonly ResiliencePipeline _repeatableWrites;
    private readonly ResiliencePipeline _otherCalls;
    private int _current;

    /// <param name="addresses">Server addresses in the order to try them; at least one.</param>
    /// <param name="apiKey">Sent as a Bearer token on every call, when given.</param>
    /// <param name="options">Deadline and retry settings.</param>
    public ResilientCallInvoker(IReadOnlyList<string> addresses, string? apiKey, ResilienceOptions options)
    {
        if (addresses.Count == 0)
        {
            throw new ArgumentException("At least one server address is needed.", nameof(addresses));
        }

        _addresses = [.. addresses];
        _apiKey = apiKey;
        _options = options;
        _channels = new GrpcChannel?[_addresses.Length];
        _invokers = new CallInvoker?[_addresses.Length];
        _reads = Pipeline(ex => ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded);
        _repeatableWrites = Pipeline(ex => ex.StatusCode == StatusCode.Unavailable);
        _otherCalls = Pipeline(NeverReachedAServer);
    }

    /// <summary>Every address, in the order they are tried.</summary>
    public IReadOnlyList<string> Addresses => _addresses;

    /// <summary>The address the next call goes to: the first, until one could not be reached.</summary>
    public string CurrentAddress
    {
        get
        {
            lock (_lock)
            {
                return _addresses[_current];
            }
        }
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var pipeline = PipelineFor(method.Name, request);
        var attempts = new UnaryAttempts<TResponse>();
        var response = pipeline.ExecuteAsync(
            async token =>
            {
                var (index, invoker) = Current();
                var call = invoker.AsyncUnaryCall(method, host, WithDeadline(options).WithCancellationToken(token), request);
                attempts.Started(call);
                try
                {
                    return await call.ResponseAsync.ConfigureAwait(false);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                {
                    MoveOnFrom(index);
                    throw;
                }
            },
            options.CancellationToken).AsTask();
        return new AsyncUnaryCall<TResponse>(response, attempts.HeadersAsync(response), attempts.GetStatus, attempts.GetTrailers, attempts.Dispose);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var pipeline = PipelineFor(method.Name, request);
        var stream = new ReconnectingStreamReader<TResponse>(
            () =>
            {
                var (index, invoker) = Current();
                return (index, invoker.AsyncServerStreamingCall(method, host, options, request));
            },
            MoveOnFrom,
            pipeline,
            options.CancellationToken);
        return new AsyncServerStreamingCall<TResponse>(stream, stream.HeadersAsync(), stream.GetStatus, stream.GetTrailers, stream.Dispose);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        Current().Invoker.AsyncClientStreamingCall(method, host, options);

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        Current().Invoker.AsyncDuplexStreamingCall(method, host, options);

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var channel in _channels)
            {
                channel?.Dispose();
            }
        }
    }

    /// <summary>
    /// Whether the call failed before any server saw it: the connection was refused or the host not
    /// found. Such a call is safe to send again, to the next address, whatever it does.
    /// </summary>
    public static bool NeverReachedAServer(RpcException exception)
    {
        if (exception.StatusCode != StatusCode.Unavailable)
        {
            return false;
        }

        for (Exception? cause = exception.Status.DebugException ?? exception.InnerException; cause is not null; cause = cause.InnerException)
        {
            if (cause is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable
                    or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable or SocketError.TryAgain or SocketError.NoData })
            {
                return true;
            }
        }

        return false;
    }

    private ResiliencePipeline PipelineFor(string methodName, object request)
    {
        // The id is set before the first attempt, so that every attempt carries the same one.
        var requestId = RequestIds.Ensure(request);
        if (CallKinds.IsRead(methodName))
        {
            return _reads;
        }

        return requestId is not null ? _repeatableWrites : _otherCalls;
    }

    private ResiliencePipeline Pipeline(Func<RpcException, bool> retryOn) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(ex => retryOn(ex) || NeverReachedAServer(ex)),
                // One more try per address beyond the first, so that each is tried at least once.
                MaxRetryAttempts = _options.MaxRetries + _addresses.Length - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.FirstDelay,
                MaxDelay = _options.MaxDelay,
            })
            .Build();

    private CallOptions WithDeadline(CallOptions options) =>
        options.Deadline is null ? options.WithDeadline(DateTime.UtcNow + _options.Timeout) : options;

    private (int Index, CallInvoker Invoker) Current()
    {
        lock (_lock)
        {
            var index = _current;
            if (_invokers[index] is { } existing)
            {
                return (index, existing);
            }

            var channel = GrpcChannel.ForAddress(_addresses[index], new GrpcChannelOptions
            {
                MaxReceiveMessageSize = 16 * 1024 * 1024,
            });
            _channels[index] = channel;
            var invoker = channel.Intercept(metadata =>
            {
                if (_apiKey is not null)
                {
                    metadata.Add("authorization", "Bearer " + _apiKey);
                }

                return metadata;
            });
            _invokers[index] = invoker;
            return (index, invoker);
        }
    }

    /// <summary>The address at <paramref name="failedIndex"/> could not be reached: the next call goes to the next one.</summary>
    private void MoveOnFrom(int failedIndex)
    {
        lock (_lock)
        {
            if (_current == failedIndex)
            {
                _current = (failedIndex + 1) % _addresses.Length;
            }
        }
    }
}
