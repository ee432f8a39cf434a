using Cirt.Grains.Common;
using Cirt.Server.Storage;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Orleans.Storage;

namespace Cirt.Server.Api;

/// <summary>
/// Turns domain refusals into precise gRPC statuses, a full disk into RESOURCE_EXHAUSTED
/// (<see cref="StorageFullRefusal"/>; <see cref="StorageHealth"/> logs it, once, not per call), a
/// silo of the cluster that cannot be reached into UNAVAILABLE (safe to retry: the call did not reach
/// its grain), and anything unexpected into INTERNAL without leaking internals to the caller.
/// </summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger, StorageHealth storage) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    private RpcException Map(Exception ex, ServerCallContext context)
    {
        if (StorageFullRefusal.For(ex, storage, context) is { } full)
        {
            return full;
        }

        switch (ex)
        {
            case CirtException cirt:
                return ToRpc(cirt);
            case ChangeNotStoredException notStored:
                // The grain logged the storage failure; the caller learns that nothing was stored and may retry.
                logger.LogWarning("Change not stored in {Method}: {Reason}", context.Method, notStored.Message);
                return new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, notStored.Message));
            case InconsistentStateException:
                logger.LogWarning("Concurrent change refused in {Method}", context.Method);
                return new RpcException(new Grpc.Core.Status(StatusCode.Aborted,
                    "Someone else changed this record at the same moment; nothing was overwritten. Reload and try again."));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled."));
            case OrleansMessageRejectionException:
                // In a cluster: the silo holding the grain (or its directory entry) died and is not yet
                // declared dead. The call did not reach the grain; another silo takes over within seconds.
                logger.LogWarning("Silo unreachable in {Method}: {Reason}", context.Method, ex.Message);
                return new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "A silo of the cluster could not be reached; retry shortly."));
            case TimeoutException:
                logger.LogWarning(ex, "Timeout in {Method}", context.Method);
                return new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "The service timed out; retry shortly."));
            default:
                logger.LogError(ex, "Unexpected failure in {Method}", context.Method);
                return new RpcException(new Grpc.Core.Status(StatusCode.Internal, "Internal error; it has been logged."));
        }
    }

    public static RpcException ToRpc(CirtException ex)
    {
        if (ex.Kind == CirtErrorKind.InvalidArgument)
        {
            return Violations.ToException(ex.Message, [new BadRequest.Types.FieldViolation { Field = ex.Field ?? "", Description = ex.Message }]);
        }

        var code = ex.Kind switch
        {
            CirtErrorKind.NotFound => StatusCode.NotFound,
            CirtErrorKind.AlreadyExists => StatusCode.AlreadyExists,
            CirtErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
            CirtErrorKind.Conflict => StatusCode.Aborted,
            CirtErrorKind.PermissionDenied => StatusCode.PermissionDenied,
            _ => StatusCode.Internal,
        };
        return new RpcException(new Grpc.Core.Status(code, ex.Message));
    }
}
