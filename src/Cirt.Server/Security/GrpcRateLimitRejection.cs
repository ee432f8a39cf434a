using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Cirt.Server.Security;

/// <summary>
/// Answers a rate-limited call the gRPC way: HTTP 200 with grpc-status RESOURCE_EXHAUSTED and
/// retry advice (retry-after in seconds, grpc-retry-pushback-ms for gRPC-aware clients), instead of
/// the HTTP 429 a gRPC client would report as UNAVAILABLE. Refusals are counted and summed up in the
/// log per partition (<see cref="RefusalLog"/>), not logged one by one.
/// </summary>
public static class GrpcRateLimitRejection
{
    public static ValueTask OnRejected(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        http.RequestServices.GetRequiredService<SecurityMetrics>().RateLimited();
        var keyId = http.Items[ApiKeyAuthenticationHandler.PrincipalItem] is Grains.Security.Principal principal ? principal.KeyId
            : (http.Items[ApiKeyAuthenticationHandler.FailureItem] as AuthenticationFailure)?.KeyId ?? "";
        http.RequestServices.GetRequiredService<RefusalLog>().Record(PartitionOf(http), "rate-limited", keyId, http.Request.Path);

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/grpc";
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["grpc-retry-pushback-ms"] = ((long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["grpc-status"] = "8";
        http.Response.Headers["grpc-message"] = Uri.EscapeDataString($"Rate limit reached: retry after {seconds} s.");
        return ValueTask.CompletedTask;
    }

    /// <summary>One bucket per key; unauthenticated callers share one per remote address.</summary>
    public static string PartitionOf(HttpContext http) =>
        http.Items[ApiKeyAuthenticationHandler.PrincipalItem] is Grains.Security.Principal principal
            ? "key:" + principal.KeyId
            : "address:" + http.Connection.RemoteIpAddress;
}
