using System.Net;
using System.Text.Json.Nodes;
using Cirt.Server.Tests.Taxii;

namespace Cirt.Server.Tests.Http;

/// <summary>The HTTP/1.1 endpoint beside gRPC: the same transport rules, a way to turn it off, plain-HTTP rate limiting.</summary>
public sealed class HttpEndpointTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5099")]
    [InlineData("http://192.0.2.10:5099")]
    public void PlainHttpOffLoopbackIsRefusedAtStart(string url)
    {
        var ex = Assert.Throws<StartupRefusedException>(() => CirtServer.Build(["--Cirt:Http:Url", url, "--Cirt:Storage", "Memory"]));

        Assert.Contains("Refusing to serve plain HTTP", ex.Message);
        Assert.Contains("Cirt:Http:Url", ex.Message);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:5099")]
    [InlineData("http://127.0.0.1:5099/taxii")]
    [InlineData("not a url")]
    public void AnUnusableUrlIsRefusedAtStart(string url)
    {
        var ex = Assert.Throws<StartupRefusedException>(() => CirtServer.Build(["--Cirt:Http:Url", url, "--Cirt:Storage", "Memory"]));

        Assert.Contains("Cirt:Http:Url", ex.Message);
    }

    [Fact]
    public async Task AnEmptyUrlTurnsTheEndpointOff()
    {
        var server = new ServerFixture { Storage = "Memory", ExtraArguments = ["--Cirt:Http:Url", ""] };
        await server.InitializeAsync();
        try
        {
            Assert.Equal("", server.HttpAddress);
            Assert.StartsWith("http://127.0.0.1:", server.Address, StringComparison.Ordinal);
            Assert.NotNull(await server.Keys().WhoAmIAsync(new Contracts.V1.WhoAmIRequest()));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ACallerOverItsRateGets429WithRetryAfter()
    {
        var server = new ServerFixture { Storage = "Memory", ExtraArguments = ["--Cirt:Security:PermitsPerSecond", "2", "--Cirt:Security:Burst", "5"] };
        await server.InitializeAsync();
        try
        {
            var key = await TaxiiPartners.RegisterAsync(server, "taxii-hasty");
            using var taxii = new TaxiiClient(server.HttpAddress);
            var responses = new List<HttpResponseMessage>();
            for (var i = 0; i < 20; i++)
            {
                responses.Add(await taxii.GetAsync("/taxii2/", TaxiiClient.Basic("taxii-hasty", key)));
            }

            var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.OK), 5, 12);
            Assert.Equal(20, responses.Count(r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests));
            Assert.NotEmpty(refused);
            Assert.NotNull(refused[0].Headers.RetryAfter);
            Assert.Equal("429", JsonNode.Parse(await refused[0].Content.ReadAsStringAsync())!["http_status"]!.GetValue<string>());
            responses.ForEach(r => r.Dispose());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
