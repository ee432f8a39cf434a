using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cirt.Server.IntelMq;

/// <summary>
/// An answer of the IntelMQ endpoint, in JSON: {"accepted": n} once the events are durable, or an
/// error, {"code": "INVALID_ARGUMENT", "message": …, "violations": [{"event": 2, "key": "source.ip",
/// "reason": …}]}, with the gRPC status name as gRPC spells it and the HTTP status that goes with it.
/// </summary>
public sealed class IntelMqAnswer(int status, Action<Utf8JsonWriter> body, IReadOnlyDictionary<string, string>? headers = null) : IResult
{
    /// <summary>How many violations an answer lists at most; the message counts the rest.</summary>
    public const int MaxListed = 50;

    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public int Status => status;

    public static IntelMqAnswer Accepted(int accepted) => new(StatusCodes.Status200OK, json =>
    {
        json.WriteStartObject();
        json.WriteNumber("accepted", accepted);
        json.WriteEndObject();
    });

    public static IntelMqAnswer Error(int status, string code, string message, IReadOnlyList<IntelMqViolation>? violations = null, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, json =>
        {
            json.WriteStartObject();
            json.WriteString("code", code);
            var more = (violations?.Count ?? 0) - MaxListed;
            json.WriteString("message", more > 0 ? $"{message} ({more} more not listed)" : message);
            if (violations is { Count: > 0 })
            {
                json.WriteStartArray("violations");
                foreach (var v in violations.Take(MaxListed))
                {
                    json.WriteStartObject();
                    if (v.Event is { } index)
                    {
                        json.WriteNumber("event", index);
                    }

                    json.WriteString("key", v.Key);
                    json.WriteString("reason", v.Reason);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }, headers);

    /// <summary>400 INVALID_ARGUMENT naming the first problem.</summary>
    public static IntelMqAnswer Invalid(IntelMqViolation problem) =>
        Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", Describe(problem), [problem]);

    /// <summary>"event 2, source.ip: '010.0.0.1' is not …", or the body's problem.</summary>
    public static string Describe(IntelMqViolation v) =>
        (v.Event is { } index ? "event " + index.ToString(CultureInfo.InvariantCulture) + (v.Key.Length > 0 ? ", " + v.Key : "") + ": " : "")
        + v.Reason;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        await using (var json = new Utf8JsonWriter(response.BodyWriter, Writing))
        {
            body(json);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
