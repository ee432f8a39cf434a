using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cirt.Server.Security;

/// <summary>
/// Every streaming call holds a slot of the <see cref="StreamLimiter"/> while it runs; over a limit
/// it is refused with RESOURCE_EXHAUSTED and a message saying which limit. Refusals are counted
/// and summed up in the log. Runs after authorisation, so a slot is always a key's (or, for the
/// anonymous health watch, an address's).
/// </summary>
public sealed class StreamLimitInterceptor(StreamLimiter limiter, SecurityMetrics metrics, RefusalLog refusals) : Interceptor
{
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var (pool, holder) = Open(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        finally
        {
            limiter.Close(pool, holder);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var (pool, holder) = Open(context);
        try
        {
            return await continuation(requestStream, context);
        }
        finally
        {
            limiter.Close(pool, holder);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var (pool, holder) = Open(context);
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        finally
        {
            limiter.Close(pool, holder);
        }
    }

    private (StreamPool Pool, string Holder) Open(ServerCallContext context)
    {
        var pool = StreamLimiter.PoolOf(context.Method);
        var http = context.GetHttpContext();
        var holder = GrpcRateLimitRejection.PartitionOf(http);
        if (!limiter.TryOpen(pool, holder, out var refusal))
        {
            metrics.StreamRefused(pool);
            refusals.Record(holder, "too-many-streams", KeyIdOf(holder), context.Method);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, refusal));
        }

        return (pool, holder);
    }

    private static string KeyIdOf(string holder) => holder.StartsWith("key:", StringComparison.Ordinal) ? holder["key:".Length..] : "";
}
