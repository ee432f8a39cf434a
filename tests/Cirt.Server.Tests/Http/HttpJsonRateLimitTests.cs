using System.Net;

namespace Cirt.Server.Tests.Http;

/// <summary>The per-key rate limit on the HTTP/JSON face: 429, Retry-After, and the face's error body.</summary>
public sealed class HttpJsonRateLimitTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new()
    {
        Storage = "Memory",
        ExtraArguments = ["--Cirt:Security:PermitsPerSecond", "2", "--Cirt:Security:Burst", "5"],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task ACallerOverItsRateGets429WithRetryAfterAndAJsonBody()
    {
        using var hasty = new JsonClient(_server.HttpAddress, _server.AnalystKey);
        var answers = new List<JsonAnswer>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await hasty.GetAsync("/v1/whoami"));
        }

        Assert.Equal(20, answers.Count(a => a.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests));
        Assert.InRange(answers.Count(a => a.Status == HttpStatusCode.OK), 5, 12);
        var refused = answers.First(a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(refused.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(8, (int)refused.Body["code"]!);
        Assert.Equal("RESOURCE_EXHAUSTED", (string?)refused.Body["status"]);
        Assert.Contains("Rate limit", (string?)refused.Body["message"], StringComparison.Ordinal);
    }
}
