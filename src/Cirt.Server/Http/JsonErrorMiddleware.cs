using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Cirt.Server.Http;

/// <summary>
/// Gives the HTTP/JSON face's errors their documented shape (<see cref="JsonErrorBody"/>): JSON
/// transcoding writes google.rpc.Status (code, message, details); this adds the status name. Only
/// transcoded routes pass through it.
/// </summary>
public sealed class JsonErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is null)
        {
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
            if (!context.Response.HasStarted)
            {
                context.Response.ContentLength = body.Length;
            }

            await original.WriteAsync(body, context.RequestAborted);
        }
    }
}
