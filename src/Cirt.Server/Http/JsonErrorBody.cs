using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cirt.Contracts;
using Grpc.Core;

namespace Cirt.Server.Http;

/// <summary>
/// The error body of the HTTP/JSON face: google.rpc.Status in the protobuf JSON mapping (code,
/// message, details such as google.rpc.BadRequest with its fieldViolations), plus the status's name
/// as gRPC spells it, so that a script reads "INVALID_ARGUMENT" where a gRPC client would:
/// <code>{"code": 3, "status": "INVALID_ARGUMENT", "message": "...", "details": [...]}</code>
/// </summary>
public static class JsonErrorBody
{
    public const string ContentType = "application/json; charset=utf-8";

    // JSON for programs, not for an HTML page: quotes and angle brackets stay as they are.
    private static readonly JsonSerializerOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>"INVALID_ARGUMENT" for 3: the names of grpc/status codes.</summary>
    public static string NameOf(StatusCode code) => StatusNames.Of(code);

    /// <summary>A body of our own, for refusals made before any gRPC method runs (a rate limit, an unknown route).</summary>
    public static byte[] For(StatusCode code, string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["code"] = (int)code,
            ["status"] = NameOf(code),
            ["message"] = message,
            ["details"] = new JsonArray(),
        }, Writing);

    /// <summary>
    /// Adds "status" after "code" to a google.rpc.Status body as JSON transcoding writes it. Returns
    /// null when <paramref name="body"/> is not such a body (then it is passed on as it is).
    /// </summary>
    public static byte[]? WithStatusName(ReadOnlySpan<byte> body)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }

        if (parsed is not JsonObject status || status["code"] is not JsonValue code || !code.TryGetValue<int>(out var number))
        {
            return null;
        }

        var shaped = new JsonObject { ["code"] = number, ["status"] = NameOf((StatusCode)number) };
        foreach (var (name, value) in status.ToList())
        {
            if (name is not "code" and not "status")
            {
                status.Remove(name);
                shaped[name] = value;
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(shaped, Writing);
    }
}
