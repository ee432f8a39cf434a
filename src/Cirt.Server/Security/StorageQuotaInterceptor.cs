using System.Globalization;
using Cirt.Grains.Security;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cirt.Server.Security;

/// <summary>
/// Charges every call that changes something (<see cref="StorageQuotaRules"/>) the size of its
/// request against its key's storage quota before the call runs, and refunds it when the call
/// fails (refused, not stored). A call over the quota is refused with RESOURCE_EXHAUSTED, the quota,
/// what is used and when it frees, and retry advice as the rate limit gives it (retry-after in
/// seconds, grpc-retry-pushback-ms): nothing of it is stored.
/// </summary>
public sealed class StorageQuotaInterceptor(StorageQuota quota) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!StorageQuotaRules.Counts(context.Method) || request is not IMessage message
            || context.GetHttpContext().Items[ApiKeyAuthenticationHandler.PrincipalItem] is not Principal principal)
        {
            return await continuation(request, context);
        }

        if (!quota.TryCharge(principal, message.CalculateSize(), out var charge, out var refusal))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, refusal.Message), new Metadata
            {
                { "retry-after", refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture) },
                { "grpc-retry-pushback-ms", ((long)refusal.RetryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) },
            });
        }

        try
        {
            return await continuation(request, context);
        }
        catch
        {
            quota.Refund(principal, charge);
            throw;
        }
    }
}
