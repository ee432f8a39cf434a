using Grpc.Core;
using Polly;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// A server stream that survives its server: when reading fails with UNAVAILABLE, the call is opened
/// again (on the next address, after the pipeline's backoff) and reading goes on there. The server
/// starts the stream over (following the inbox sends what waits again, then what is new).
/// </summary>
internal sealed class ReconnectingStreamReader<TResponse>(
    Func<(int Index, AsyncServerStreamingCall<TResponse> Call)> open,
    Action<int> unreachable,
    ResiliencePipeline pipeline,
    CancellationToken callCancelled) : IAsyncStreamReader<TResponse>
{
    private (int Index, AsyncServerStreamingCall<TResponse> Call)? _current = open();

    public TResponse Current { get; private set; } = default!;

    public Task<bool> MoveNext(CancellationToken cancellationToken) => MoveNextAsync(cancellationToken);

    /// <summary>The current call's response headers.</summary>
    public async Task<Metadata> HeadersAsync() => await Call().ResponseHeadersAsync.ConfigureAwait(false);

    public Status GetStatus() => Call().GetStatus();

    public Metadata GetTrailers() => Call().GetTrailers();

    public void Dispose() => _current?.Call.Dispose();

    private async Task<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        using var cancelled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callCancelled);
        return await pipeline.ExecuteAsync(
            async token =>
            {
                _current ??= open();
                var (index, call) = _current.Value;
                try
                {
                    if (!await call.ResponseStream.MoveNext(token).ConfigureAwait(false))
                    {
                        return false;
                    }

                    Current = call.ResponseStream.Current;
                    return true;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                {
                    call.Dispose();
                    _current = null;
                    unreachable(index);
                    throw;
                }
            },
            cancelled.Token).ConfigureAwait(false);
    }

    private AsyncServerStreamingCall<TResponse> Call() =>
        _current?.Call ?? throw new InvalidOperationException("The stream is reconnecting.");
}
