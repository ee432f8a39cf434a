using Cirt.Server.Http;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Cirt.Server.Extensions;

public static class HttpJsonExtensions
{
    /// <summary>
    /// The HTTP/JSON face: gRPC JSON transcoding of the public API's google.api.http rules (see
    /// protos/cirt/v1 and docs/http-api.md), served on the HTTP endpoint only (<see cref="HttpExtensions.UseCirtHttp"/>).
    /// A transcoded call runs the gRPC method with its interceptors: the same key check, access
    /// rules, validation, quotas and error mapping as over gRPC.
    /// </summary>
    public static WebApplicationBuilder AddCirtHttpJson(this WebApplicationBuilder builder)
    {
        builder.Services.AddGrpc().AddJsonTranscoding(transcoding =>
        {
            // The protobuf JSON mapping as the console's --output json writes it: every field, defaults
            // included; 64-bit integers as strings (JavaScript's numbers lose digits past 2^53).
            transcoding.JsonSettings = new GrpcJsonSettings { IgnoreDefaultValues = false, WriteInt64sAsStrings = true };
            // Error details (google.rpc.BadRequest's field violations) are packed in Any: their types must be known to write them.
            transcoding.TypeRegistry = TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor);
        });
        return builder;
    }

    /// <summary>
    /// The error bodies of transcoded calls in their documented shape (<see cref="JsonErrorBody"/>).
    /// Before <see cref="HttpExtensions.UseCirtHttp"/>, whose empty 404 it replaces with a JSON one under /v1/.
    /// </summary>
    public static WebApplication UseCirtHttpJson(this WebApplication app)
    {
        app.UseMiddleware<JsonErrorMiddleware>();
        return app;
    }
}
