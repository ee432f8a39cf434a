using System.Buffers.Binary;
using Cirt.Server.Security;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Api;

/// <summary>
/// gRPC answers a request body that is not a valid protobuf message with UNKNOWN ("exception was
/// thrown by handler"), before any interceptor runs. For Cirt's unary methods this middleware
/// parses the message first and answers INVALID_ARGUMENT instead (UNAUTHENTICATED to a caller
/// without a valid key), so that bad input always gets a precise status.
/// </summary>
public sealed class MalformedMessageMiddleware(RequestDelegate next)
{
    private const int FrameHeader = 5;

    private static readonly IReadOnlyDictionary<string, MessageDescriptor> UnaryRequests =
        CirtApi.Files
        .SelectMany(f => f.Services)
        .SelectMany(s => s.Methods)
        .Where(m => !m.IsClientStreaming && !m.IsServerStreaming)
        .ToDictionary(m => $"/{m.Service.FullName}/{m.Name}", m => m.InputType, StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!UnaryRequests.TryGetValue(context.Request.Path.Value ?? "", out var descriptor)
            || context.Request.ContentLength is > Grains.Common.Limits.MaxMessageBytes + FrameHeader)
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: Grains.Common.Limits.MaxMessageBytes + FrameHeader);
        var problem = await FindProblemAsync(context, descriptor);
        context.Request.Body.Position = 0;
        if (problem is null)
        {
            await next(context);
            return;
        }

        if (context.Items[ApiKeyAuthenticationHandler.PrincipalItem] is null)
        {
            var failure = context.Items[ApiKeyAuthenticationHandler.FailureItem] as AuthenticationFailure;
            await RespondAsync(context, 16, failure?.Message ?? "No credential: send 'authorization: Bearer <api key>'.");
            return;
        }

        await RespondAsync(context, 3, $"The request is not a valid {descriptor.FullName} message: {problem}");
    }

    private static async Task<string?> FindProblemAsync(HttpContext context, MessageDescriptor descriptor)
    {
        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        }
        catch (IOException)
        {
            // Over the buffer limit or cut short: let gRPC itself answer (RESOURCE_EXHAUSTED, CANCELLED).
            return null;
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Length < FrameHeader || bytes.Span[0] != 0)
        {
            // Empty, truncated or compressed frames: gRPC reports those precisely itself.
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.Span[1..FrameHeader]);
        if (length != bytes.Length - FrameHeader)
        {
            return null;
        }

        try
        {
            descriptor.Parser.ParseFrom(bytes.Span[FrameHeader..]);
            return null;
        }
        catch (InvalidProtocolBufferException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>A trailers-only gRPC response carrying just a status.</summary>
    private static Task RespondAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }
}
