using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Cirt.Server.Tests.Taxii;

/// <summary>A plain HTTP/1.1 client on the server's HTTP endpoint, as a partner's TAXII tool would call it.</summary>
public sealed class TaxiiClient(string httpAddress) : IDisposable
{
    public const string MediaType = "application/taxii+json;version=2.1";

    private readonly HttpClient _http = new() { BaseAddress = new Uri(httpAddress) };

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

    public async Task<HttpResponseMessage> GetAsync(string path, AuthenticationHeaderValue? credentials, string? accept = MediaType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Version = new Version(1, 1) };
        request.Headers.Authorization = credentials;
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await _http.SendAsync(request);
    }

    /// <summary>GETs <paramref name="path"/>, expects 200 with the TAXII media type, and returns the JSON body.</summary>
    public async Task<JsonObject> ReadAsync(string path, AuthenticationHeaderValue credentials)
    {
        using var response = await GetAsync(path, credentials);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.ToString().Replace(" ", "", StringComparison.Ordinal));
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Every page of <paramref name="path"/> (objects or manifest), following next, with the pages' date headers.</summary>
    public async Task<List<TaxiiPage>> ReadAllPagesAsync(string path, AuthenticationHeaderValue credentials)
    {
        var pages = new List<TaxiiPage>();
        var next = "";
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            using var response = await GetAsync(next.Length == 0 ? path : path + separator + "next=" + Uri.EscapeDataString(next), credentials);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
            var json = JsonNode.Parse(body)!.AsObject();
            pages.Add(new TaxiiPage(json, Header(response, "X-TAXII-Date-Added-First"), Header(response, "X-TAXII-Date-Added-Last")));
            next = json["more"]!.GetValue<bool>() ? json["next"]!.GetValue<string>() : "";
            Assert.True(pages.Count < 1_000, "paging did not end");
        }
        while (next.Length > 0);

        return pages;
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    public void Dispose() => _http.Dispose();
}
