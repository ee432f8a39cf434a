using Cirt.Grains.Common;
using Cirt.Grains.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cirt.Server.Security;

/// <summary>
/// Every call: authenticated (UNAUTHENTICATED otherwise, with the reason) and its method open to
/// the caller's role (PERMISSION_DENIED otherwise). Refusals are counted, and so are the
/// PERMISSION_DENIED answers of the call's own rules; a principal denied by role is
/// logged with structure, callers without a valid key are summed up per address (<see cref="RefusalLog"/>).
/// </summary>
public sealed class AuthorizationInterceptor(SecurityMetrics metrics, RefusalLog refusals, ILogger<AuthorizationInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return CountingDenialsAsync(context, () => continuation(request, context));
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return CountingDenialsAsync(context, () => continuation(request, responseStream, context));
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return CountingDenialsAsync(context, () => continuation(requestStream, context));
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return CountingDenialsAsync(context, () => continuation(requestStream, responseStream, context));
    }

    /// <summary>
    /// Counts the refusals a call's own rules make once its role let it in (an operator reporting for
    /// another organisation, a partner item beyond its agreement...): PERMISSION_DENIED from the service
    /// or from a grain, counted with the reason "rule" beside the role refusals of <see cref="Authorize"/>.
    /// </summary>
    private async Task<TResponse> CountingDenialsAsync<TResponse>(ServerCallContext context, Func<Task<TResponse>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (IsDenial(ex))
        {
            metrics.AccessDenied(context.Method, SecurityMetrics.DeniedByRule);
            throw;
        }
    }

    private async Task CountingDenialsAsync(ServerCallContext context, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception ex) when (IsDenial(ex))
        {
            metrics.AccessDenied(context.Method, SecurityMetrics.DeniedByRule);
            throw;
        }
    }

    private static bool IsDenial(Exception ex) =>
        ex is RpcException { StatusCode: StatusCode.PermissionDenied } or CirtException { Kind: CirtErrorKind.PermissionDenied };

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
            if (failure.Reason == ApiKeyAuthenticationHandler.UnavailableReason)
            {
                // Not a refusal of the key: the cluster could not check it just now.
                throw new RpcException(new Status(StatusCode.Unavailable, failure.Message));
            }

            metrics.AuthenticationFailed(failure.Reason);
            refusals.Record(GrpcRateLimitRejection.PartitionOf(http), failure.Reason, failure.KeyId, context.Method);
            throw new RpcException(new Status(StatusCode.Unauthenticated, failure.Message));
        }

        if (!AccessRules.Roles.TryGetValue(context.Method, out var roles) || !roles.Contains(principal.Role))
        {
            metrics.AccessDenied(context.Method, SecurityMetrics.DeniedByRole);
            logger.LogWarning("Access denied: {Actor} ({Role}, key {KeyId}) called {Method}",
                principal.Actor, principal.Role, principal.KeyId, context.Method);
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"The {principal.Role.ToString().ToLowerInvariant()} role may not call {context.Method.TrimStart('/')}."));
        }
    }
}
