using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Cirt.Server.Security;

/// <summary>
/// Answers a rate-limited call the gRPC way: HTTP 200 with grpc-status RESOURCE_EXHAUSTED and
/// retry advice (retry-after in seconds, grpc-retry-pushback-ms for gRPC-aware clients), instead of
/// the HTTP 429 a gRPC client would report as UNAVAILABLE. On the HTTP endpoint (TAXII), which is
/// plain HTTP, it is that 429 with Retry-After (and the HTTP/JSON face's error body under /v1/). Refusals are counted and summed up in the
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
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        if (Http.HttpEndpoint.Serves(http))
        {
            // The HTTP endpoint speaks plain HTTP: 429 with Retry-After (TAXII's error JSON under /taxii2/).
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            if (http.Request.Path.StartsWithSegments("/taxii2", StringComparison.Ordinal))
            {
                return new ValueTask(Taxii.TaxiiResult.Error(StatusCodes.Status429TooManyRequests, "Too many requests", $"Rate limit reached: retry after {seconds} s.")
                    .ExecuteAsync(http));
            }

            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            if (http.Request.Path.StartsWithSegments(Http.JsonErrorMiddleware.PathPrefix, StringComparison.Ordinal))
            {
                // The HTTP/JSON face's error body, as a transcoded call's RESOURCE_EXHAUSTED would have it.
                var body = Http.JsonErrorBody.For(Grpc.Core.StatusCode.ResourceExhausted, $"Rate limit reached: retry after {seconds} s.");
                http.Response.ContentType = Http.JsonErrorBody.ContentType;
                http.Response.ContentLength = body.Length;
                return http.Response.Body.WriteAsync(body, cancellationToken);
            }

            return ValueTask.CompletedTask;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/grpc";
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
