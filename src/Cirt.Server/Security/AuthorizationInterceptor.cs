using Cirt.Grains.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cirt.Server.Security;

/// <summary>
/// Every call: authenticated (UNAUTHENTICATED otherwise, with the reason) and its method open to
/// the caller's role (PERMISSION_DENIED otherwise). Refusals are counted; a denied principal is
/// logged with structure, callers without a valid key are summed up per address (<see cref="RefusalLog"/>).
/// </summary>
public sealed class AuthorizationInterceptor(SecurityMetrics metrics, RefusalLog refusals, ILogger<AuthorizationInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        if (AccessRules.Anonymous.Contains(context.Method))
        {
            return;
        }

        var http = context.GetHttpContext();
        if (http.Items[ApiKeyAuthenticationHandler.PrincipalItem] is not Principal principal)
        {
            var failure = http.Items[ApiKeyAuthenticationHandler.FailureItem] as AuthenticationFailure
                          ?? new AuthenticationFailure("missing", "No credential: send 'authorization: Bearer <api key>'.", "");
            metrics.AuthenticationFailed(failure.Reason);
            refusals.Record(GrpcRateLimitRejection.PartitionOf(http), failure.Reason, failure.KeyId, context.Method);
            throw new RpcException(new Status(StatusCode.Unauthenticated, failure.Message));
        }

        if (!AccessRules.Roles.TryGetValue(context.Method, out var roles) || !roles.Contains(principal.Role))
        {
            metrics.AccessDenied(context.Method);
            logger.LogWarning("Access denied: {Actor} ({Role}, key {KeyId}) called {Method}",
                principal.Actor, principal.Role, principal.KeyId, context.Method);
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"The {principal.Role.ToString().ToLowerInvariant()} role may not call {context.Method.TrimStart('/')}."));
        }
    }
}
