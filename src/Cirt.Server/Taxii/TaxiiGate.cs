using Cirt.Grains.Security;
using Cirt.Server.Security;

namespace Cirt.Server.Taxii;

/// <summary>
/// Every TAXII request, before it is served: authenticated (401 with a challenge for Basic and
/// Bearer otherwise), by a partner's key (403 for any other role: TAXII is the partners' door), and
/// asking for a media type TAXII 2.1 answers with (406 otherwise). Refusals are counted and logged
/// as the gRPC side does (<see cref="SecurityMetrics"/>, <see cref="RefusalLog"/>).
/// </summary>
public sealed class TaxiiGate(SecurityMetrics metrics, RefusalLog refusals, ILogger<TaxiiGate> logger) : IEndpointFilter
{
    private static readonly IReadOnlyDictionary<string, string> Challenge = new Dictionary<string, string>
    {
        ["WWW-Authenticate"] = "Basic realm=\"cirt-taxii\", charset=\"UTF-8\", Bearer realm=\"cirt-taxii\"",
    };

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "/taxii2/";
        if (http.Items[ApiKeyAuthenticationHandler.PrincipalItem] is not Principal principal)
        {
            var failure = http.Items[ApiKeyAuthenticationHandler.FailureItem] as AuthenticationFailure
                          ?? new AuthenticationFailure("missing", "No credential.", "");
            metrics.AuthenticationFailed(failure.Reason);
            refusals.Record(GrpcRateLimitRejection.PartitionOf(http), failure.Reason, failure.KeyId, "TAXII " + route);
            return TaxiiResult.Error(StatusCodes.Status401Unauthorized, "Authentication required", failure.Message, Challenge);
        }

        if (principal.Role != Role.Partner)
        {
            metrics.AccessDenied("TAXII " + route, SecurityMetrics.DeniedByRole);
            logger.LogWarning("Access denied: {Actor} ({Role}, key {KeyId}) called TAXII {Route}", principal.Actor, principal.Role, principal.KeyId, route);
            return TaxiiResult.Error(StatusCodes.Status403Forbidden, "Partners only",
                $"The TAXII server serves partner CIRTs' keys; the {principal.Role.ToString().ToLowerInvariant()} role has no collection here.");
        }

        if (!TaxiiMediaTypes.Accepts(http.Request.Headers.Accept))
        {
            return TaxiiResult.Error(StatusCodes.Status406NotAcceptable, "Not acceptable",
                $"This server answers with {TaxiiMediaTypes.Taxii} only: accept it (or application/taxii+json, or */*).");
        }

        return await next(invocation);
    }

    /// <summary>The partner calling; the gate has let only partners through.</summary>
    public static Principal Caller(HttpContext http) => (Principal)http.Items[ApiKeyAuthenticationHandler.PrincipalItem]!;
}
