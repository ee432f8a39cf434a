using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Cirt.Server.Tests.Http;

/// <summary>
/// A plain HTTP/1.1 client of the HTTP/JSON face, as curl or a script would be: JSON in, JSON out,
/// an API key as a Bearer token (none when empty).
/// </summary>
public sealed class JsonClient : IDisposable
{
    private readonly HttpClient _http;

    public JsonClient(string baseAddress, string apiKey)
    {
        _http = new HttpClient { BaseAddress = new Uri(baseAddress) };
        if (apiKey.Length > 0)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public Task<JsonAnswer> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<JsonAnswer> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public async Task<JsonAnswer> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new JsonAnswer(response.StatusCode, response.Version, response.Content.Headers.ContentType?.MediaType, headers, text);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>What came back: the HTTP status and version, the media type, the headers and the body (parsed on demand).</summary>
public sealed record JsonAnswer(HttpStatusCode Status, Version Version, string? MediaType, IReadOnlyDictionary<string, string> Headers, string Text)
{
    public JsonNode Body => JsonNode.Parse(Text) ?? throw new InvalidOperationException($"Not JSON: '{Text}'");

    /// <summary>The field violations of an error body's google.rpc.BadRequest detail, as "field" names.</summary>
    public IReadOnlyList<string> ViolatedFields =>
        Body["details"]!.AsArray()
            .Where(d => (string?)d!["@type"] == "type.googleapis.com/google.rpc.BadRequest")
            .SelectMany(d => d!["fieldViolations"]!.AsArray())
            .Select(v => (string)v!["field"]!)
            .ToList();
}
