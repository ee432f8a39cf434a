using Cirt.Grains.Security;
using Cirt.Server.Security;

namespace Cirt.Server.IntelMq;

/// <summary>
/// Every request to the IntelMQ endpoint, before it is read: authenticated by an API key sent as
/// "Authorization: Bearer …" (401 with a challenge otherwise), of a role that may publish automated
/// events (403 otherwise: the same roles as IngestService.Publish, <see cref="AccessRules"/>).
/// Refusals are counted and logged as the gRPC side does (<see cref="SecurityMetrics"/>, <see cref="RefusalLog"/>).
/// </summary>
public sealed class IntelMqGate(SecurityMetrics metrics, RefusalLog refusals, ILogger<IntelMqGate> logger) : IEndpointFilter
{
    /// <summary>The gRPC method whose access rule this endpoint shares: it is Publish by another wire.</summary>
    public const string SameRuleAs = "/cirt.v1.IngestService/Publish";

    private const string Route = "POST " + IntelMqEndpoint.Path;

    private static readonly IReadOnlyDictionary<string, string> Challenge = new Dictionary<string, string>
    {
        ["WWW-Authenticate"] = "Bearer realm=\"cirt\"",
    };

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (http.Items[ApiKeyAuthenticationHandler.PrincipalItem] is not Principal principal)
        {
            var failure = http.Items[ApiKeyAuthenticationHandler.FailureItem] as AuthenticationFailure
                          ?? new AuthenticationFailure("missing", "No credential.", "");
            metrics.AuthenticationFailed(failure.Reason);
            refusals.Record(GrpcRateLimitRejection.PartitionOf(http), failure.Reason, failure.KeyId, Route);
            return IntelMqAnswer.Error(StatusCodes.Status401Unauthorized, "UNAUTHENTICATED",
                failure.Reason == "missing" ? "No credential: send 'Authorization: Bearer <api key>'." : failure.Message, headers: Challenge);
        }

        if (!AccessRules.Roles[SameRuleAs].Contains(principal.Role))
        {
            metrics.AccessDenied(Route, SecurityMetrics.DeniedByRole);
            logger.LogWarning("Access denied: {Actor} ({Role}, key {KeyId}) called {Route}", principal.Actor, principal.Role, principal.KeyId, Route);
            return IntelMqAnswer.Error(StatusCodes.Status403Forbidden, "PERMISSION_DENIED",
                $"The {principal.Role.ToString().ToLowerInvariant()} role may not publish automated events.");
        }

        return await next(invocation);
    }

    /// <summary>The caller; the gate has let only callers who may publish through.</summary>
    public static Principal Caller(HttpContext http) => (Principal)http.Items[ApiKeyAuthenticationHandler.PrincipalItem]!;
}
