using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Cirt.Server.Tests.IntelMq;

/// <summary>A plain HTTP/1.1 client posting to the IntelMQ endpoint, as IntelMQ's REST API output bot does (JSON, a Bearer key in the Authorization header).</summary>
public sealed class IntelMqClient(string httpAddress) : IDisposable
{
    public const string Path = "/v1/intelmq/events";

    private readonly HttpClient _http = new() { BaseAddress = new Uri(httpAddress) };

    /// <summary>One event or an array, as application/json; charset=utf-8 (what the REST API output bot sends).</summary>
    public Task<IntelMqResponse> PostJsonAsync(JsonNode body, string? apiKey, string? idempotencyKey = null) =>
        PostAsync(body.ToJsonString(), "application/json; charset=utf-8", apiKey, idempotencyKey);

    /// <summary>Events one a line, as IntelMQ's file output writes them.</summary>
    public Task<IntelMqResponse> PostNdjsonAsync(IEnumerable<JsonObject> events, string? apiKey) =>
        PostAsync(string.Concat(events.Select(e => e.ToJsonString() + "\n")), "application/x-ndjson", apiKey, null);

    public async Task<IntelMqResponse> PostAsync(string body, string contentType, string? apiKey, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await _http.SendAsync(request);
        Assert.Equal(HttpVersion.Version11, response.Version);
        var text = await response.Content.ReadAsStringAsync();
        return new IntelMqResponse(response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject(), response);
    }

    public void Dispose() => _http.Dispose();
}
