using Grpc.Core;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// The attempts of one retried unary call: what the caller reads after the answer (headers, status,
/// trailers) comes from the last attempt; disposing disposes of them all.
/// </summary>
internal sealed class UnaryAttempts<TResponse>
{
    private readonly List<AsyncUnaryCall<TResponse>> _calls = [];
    private readonly Lock _lock = new();

    public void Started(AsyncUnaryCall<TResponse> call)
    {
        lock (_lock)
        {
            _calls.Add(call);
        }
    }

    /// <summary>The last attempt's response headers, once <paramref name="response"/> is settled.</summary>
    public async Task<Metadata> HeadersAsync(Task response)
    {
        try
        {
            await response.ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // The headers of a failed call are still there to read (or fail the same way).
        }

        return await Last().ResponseHeadersAsync.ConfigureAwait(false);
    }

    public Status GetStatus() => Last().GetStatus();

    public Metadata GetTrailers() => Last().GetTrailers();

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var call in _calls)
            {
                call.Dispose();
            }
        }
    }

    private AsyncUnaryCall<TResponse> Last()
    {
        lock (_lock)
        {
            return _calls.Count > 0 ? _calls[^1] : throw new InvalidOperationException("The call has not started yet.");
        }
    }
}
