using Cirt.Server.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;

namespace Cirt.Server.Http;

/// <summary>
/// Gives the HTTP/JSON face's errors their documented shape (<see cref="JsonErrorBody"/>): JSON
/// transcoding writes google.rpc.Status (code, message, details); this adds the status name, and
/// "WWW-Authenticate: Bearer" to a 401. A path under /v1/ that no route of the HTTP endpoint serves
/// (an unknown resource, a verb the resource does not take) is a JSON NOT_FOUND, not an empty 404.
/// A request body is read whole before the method runs, so it is capped (<see cref="MaxBodyBytes"/>),
/// and a caller without a valid key whose body is not valid JSON is told UNAUTHENTICATED, as over
/// gRPC, rather than what is wrong with the body.
/// </summary>
public sealed class JsonErrorMiddleware(RequestDelegate next)
{
    /// <summary>Where the HTTP/JSON face's routes live (google.api.http paths in protos/cirt/v1).</summary>
    public const string PathPrefix = "/v1";

    /// <summary>
    /// The largest JSON body taken: four times a gRPC message's limit, as JSON spells the same
    /// message longer (names, quotes, base64). The message it holds must still keep within the
    /// service's own limits (field lengths, batch sizes).
    /// </summary>
    public const long MaxBodyBytes = 4L * Grains.Common.Limits.MaxMessageBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<GrpcJsonTranscodingMetadata>() is null)
        {
            if (HttpEndpoint.Serves(context) && metadata?.GetMetadata<HttpFaceMetadata>() is null
                                             && context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.Ordinal))
            {
                await WriteAsync(context, StatusCodes.Status404NotFound,
                    JsonErrorBody.For(StatusCode.NotFound, $"No route {context.Request.Method} {context.Request.Path}: see docs/http-api.md for the routes."));
                return;
            }

            await next(context);
            return;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            // Refused before a byte of it is read (a client sending "Expect: 100-continue" never sends it).
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, JsonErrorBody.For(StatusCode.ResourceExhausted,
                $"The body is {context.Request.ContentLength} bytes; the limit is {MaxBodyBytes}. Send less at a time (e.g. smaller batches)."));
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            // A body without a length (chunked) stops being read at the limit.
            bodySize.MaxRequestBodySize = MaxBodyBytes;
        }

        var original = context.Response.Body;
        var shaping = new ErrorShapingStream(original, context.Response);
        context.Response.Body = shaping;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (shaping.Held is { } held)
        {
            var body = NotAuthenticatedBeforeTheMethodRan(context)
                       ?? JsonErrorBody.WithStatusName(held.GetBuffer().AsSpan(0, (int)held.Length))
                       ?? held.ToArray();
            if (!context.Response.HasStarted && context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            await WriteAsync(context, context.Response.StatusCode, body);
        }
    }

    /// <summary>
    /// A 400 to a caller without a valid key came from reading the request, before the method's
    /// interceptors, which would have refused the caller first: it becomes that refusal.
    /// </summary>
    private static byte[]? NotAuthenticatedBeforeTheMethodRan(HttpContext context)
    {
        if (context.Response.StatusCode != StatusCodes.Status400BadRequest || context.Items[ApiKeyAuthenticationHandler.PrincipalItem] is not null)
        {
            return null;
        }

        var failure = context.Items[ApiKeyAuthenticationHandler.FailureItem] as AuthenticationFailure;
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return JsonErrorBody.For(StatusCode.Unauthenticated, failure?.Message ?? "No credential: send 'authorization: Bearer <api key>'.");
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = JsonErrorBody.ContentType;
            context.Response.ContentLength = body.Length;
        }

        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
