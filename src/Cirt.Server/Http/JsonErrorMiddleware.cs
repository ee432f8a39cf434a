using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Cirt.Server.Http;

/// <summary>
/// Gives the HTTP/JSON face's errors their documented shape (<see cref="JsonErrorBody"/>): JSON
/// transcoding writes google.rpc.Status (code, message, details); this adds the status name, and
/// "WWW-Authenticate: Bearer" to a 401. A path under /v1/ that no route of the HTTP endpoint serves
/// (an unknown resource, a verb the resource does not take) is a JSON NOT_FOUND, not an empty 404.
/// </summary>
public sealed class JsonErrorMiddleware(RequestDelegate next)
{
    /// <summary>Where the HTTP/JSON face's routes live (google.api.http paths in protos/cirt/v1).</summary>
    public const string PathPrefix = "/v1";

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
            var body = JsonErrorBody.WithStatusName(held.GetBuffer().AsSpan(0, (int)held.Length)) ?? held.ToArray();
            if (!context.Response.HasStarted && context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            await WriteAsync(context, context.Response.StatusCode, body);
        }
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
