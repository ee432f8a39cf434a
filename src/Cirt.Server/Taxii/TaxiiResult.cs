using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cirt.Server.Taxii;

/// <summary>A TAXII response: a status, the TAXII media type, headers, and a JSON body written straight to the response.</summary>
public sealed class TaxiiResult(int status, Action<Utf8JsonWriter> body, IReadOnlyDictionary<string, string>? headers = null) : IResult
{
    // JSON for programs, not for an HTML page: quotes and angle brackets stay as they are.
    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A TAXII error message (title, description, http_status).</summary>
    public static TaxiiResult Error(int status, string title, string description, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, json =>
        {
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteString("description", description);
            json.WriteString("http_status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }, headers);

    public static TaxiiResult Ok(Action<Utf8JsonWriter> body, IReadOnlyDictionary<string, string>? headers = null) => new(StatusCodes.Status200OK, body, headers);

    public int Status => status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = TaxiiMediaTypes.Taxii;
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
