using System.Net;
using System.Text.Json.Nodes;
using Cirt.Contracts.V1;
using Cirt.Server.Tests.Federation;
using Cirt.Server.Http;
using Cirt.Server.Stix;
using Cirt.Server.Taxii;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Taxii;

/// <summary>The TAXII 2.1 server over plain HTTP/1.1, as a partner's tool (MISP, OpenCTI) reads it.</summary>
[Collection(ServerCollection.Name)]
public sealed class TaxiiServerTests(ServerFixture server) : IAsyncLifetime, IDisposable
{
    private const string Partner = "taxii-de";
    private const string OtherPartner = "taxii-nl";
    private const string ApiRoot = "/taxii2/cirt/";

    private readonly TaxiiClient _taxii = new(server.HttpAddress);
    private string _partnerKey = "";
    private string _otherPartnerKey = "";

    private static string CollectionOf(string partnerId) => $"{ApiRoot}collections/{TaxiiCollectionId.For(partnerId):D}/";

    private System.Net.Http.Headers.AuthenticationHeaderValue AsPartner => TaxiiClient.Basic(Partner, _partnerKey);

    public async Task InitializeAsync()
    {
        _partnerKey = await TaxiiPartners.RegisterAsync(server, Partner);
        _otherPartnerKey = await TaxiiPartners.RegisterAsync(server, OtherPartner);
        if ((await server.Partners().ListOutboxAsync(new ListOutboxRequest { PartnerId = Partner })).Messages.Count == 0)
        {
            await TaxiiPartners.PublishAdvisoryAsync(server, Partner, "Gateways exploited (for taxii-de)");
            await TaxiiPartners.PublishAdvisoryAsync(server, OtherPartner, "Gateways exploited (for taxii-nl)", indicator: "203.0.113.9");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _taxii.Dispose();

    [Fact]
    public async Task DiscoveryNamesTheOneApiRoot()
    {
        var discovery = await _taxii.ReadAsync("/taxii2/", AsPartner);

        var root = server.HttpAddress + ApiRoot;
        Assert.Equal(root, discovery["default"]!.GetValue<string>());
        Assert.Equal([root], discovery["api_roots"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains("cirt-local", discovery["title"]!.GetValue<string>());
    }

    [Fact]
    public void TheDiscoveryUrlPartnersAreGivenIsWhereTheEndpointListens() =>
        Assert.Equal(server.HttpAddress + "/taxii2/", TaxiiServer.DiscoveryUrl(server.Services.GetRequiredService<HttpEndpoint>()));

    [Fact]
    public async Task TheApiRootSpeaksTaxii21()
    {
        var root = await _taxii.ReadAsync(ApiRoot, AsPartner);

        Assert.Equal([TaxiiClient.MediaType], root["versions"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.NotNull(root["max_content_length"]);
        Assert.False(string.IsNullOrEmpty(root["title"]?.GetValue<string>()));
    }

    [Fact]
    public async Task APartnerSeesExactlyItsOwnCollectionReadOnly()
    {
        var collections = (await _taxii.ReadAsync(ApiRoot + "collections/", AsPartner))["collections"]!.AsArray();

        var collection = Assert.Single(collections)!.AsObject();
        Assert.Equal(TaxiiCollectionId.For(Partner).ToString("D"), collection["id"]!.GetValue<string>());
        Assert.Equal(Partner, collection["alias"]!.GetValue<string>());
        Assert.True(collection["can_read"]!.GetValue<bool>());
        Assert.False(collection["can_write"]!.GetValue<bool>());
        Assert.Equal(["application/stix+json;version=2.1"], collection["media_types"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(collection.ToJsonString(), (await _taxii.ReadAsync(CollectionOf(Partner), AsPartner)).ToJsonString());
        var others = (await _taxii.ReadAsync(ApiRoot + "collections/", TaxiiClient.Basic(OtherPartner, _otherPartnerKey)))["collections"]!.AsArray();
        Assert.Equal(TaxiiCollectionId.For(OtherPartner).ToString("D"), Assert.Single(others)!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("objects/")]
    [InlineData("manifest/")]
    public async Task AnotherPartnersCollectionIsNotFoundLikeOneThatDoesNotExist(string resource)
    {
        using var other = await _taxii.GetAsync(CollectionOf(OtherPartner) + resource, AsPartner);
        using var missing = await _taxii.GetAsync($"{ApiRoot}collections/{Guid.NewGuid():D}/{resource}", AsPartner);

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(await missing.Content.ReadAsStringAsync(), await other.Content.ReadAsStringAsync());
        Assert.DoesNotContain("for taxii-nl", await other.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BasicAndBearerAreBothAccepted()
    {
        using var basic = await _taxii.GetAsync(CollectionOf(Partner) + "objects/", TaxiiClient.Basic(Partner, _partnerKey));
        using var bearer = await _taxii.GetAsync(CollectionOf(Partner) + "objects/", TaxiiClient.Bearer(_partnerKey));

        Assert.Equal(HttpStatusCode.OK, basic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(await basic.Content.ReadAsStringAsync(), await bearer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NoCredentialsGets401WithAChallenge()
    {
        using var response = await _taxii.GetAsync("/taxii2/", credentials: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, c => c.Scheme == "Basic");
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("401", error["http_status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["title"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AWrongKeyOrAnotherPartnersUserGets401()
    {
        var wrongSecret = _partnerKey[..^4] + (_partnerKey.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        using var wrongKey = await _taxii.GetAsync(CollectionOf(Partner) + "objects/", TaxiiClient.Basic(Partner, wrongSecret));
        using var wrongBearer = await _taxii.GetAsync(CollectionOf(Partner) + "objects/", TaxiiClient.Bearer(wrongSecret));
        using var otherUser = await _taxii.GetAsync(CollectionOf(Partner) + "objects/", TaxiiClient.Basic(OtherPartner, _partnerKey));
        using var notAKey = await _taxii.GetAsync(CollectionOf(Partner) + "objects/", TaxiiClient.Basic(Partner, "password"));

        Assert.All([wrongKey, wrongBearer, otherUser, notAKey], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.DoesNotContain("for taxii-de", await otherUser.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task KeysOfOtherRolesGet403()
    {
        using var analyst = await _taxii.GetAsync("/taxii2/", TaxiiClient.Bearer(server.AnalystKey));
        using var coordinator = await _taxii.GetAsync(ApiRoot + "collections/", TaxiiClient.Bearer(server.CoordinatorKey));

        Assert.Equal(HttpStatusCode.Forbidden, analyst.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, coordinator.StatusCode);
        Assert.Equal("403", JsonNode.Parse(await analyst.Content.ReadAsStringAsync())!["http_status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/taxii+json;version=2.0")]
    [InlineData("text/html")]
    public async Task AnAcceptWithoutTaxii21Gets406(string accept)
    {
        using var response = await _taxii.GetAsync(CollectionOf(Partner) + "objects/", AsPartner, accept);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Theory]
    [InlineData("application/taxii+json;version=2.1")]
    [InlineData("application/taxii+json")]
    [InlineData("*/*")]
    [InlineData("application/json;q=0.9, application/taxii+json;version=2.1")]
    [InlineData(null)]
    public async Task AcceptsThatIncludeTaxii21AreServedWithItsMediaType(string? accept)
    {
        using var response = await _taxii.GetAsync(CollectionOf(Partner) + "objects/", AsPartner, accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TaxiiClient.MediaType, response.Content.Headers.ContentType!.ToString().Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ObjectsAreTheSharedAdvisoryAsValidStix()
    {
        var objects = (await _taxii.ReadAsync(CollectionOf(Partner) + "objects/", AsPartner))["objects"]!.AsArray();

        var report = Assert.Single(objects, o => o!["type"]!.GetValue<string>() == "report")!;
        Assert.Contains("for taxii-de", report["name"]!.GetValue<string>());
        Assert.Contains(objects, o => o!["type"]!.GetValue<string>() == "indicator" && o["pattern"]!.GetValue<string>().Contains("192.0.2.7", StringComparison.Ordinal));
        Assert.Contains(objects, o => o!["type"]!.GetValue<string>() == "vulnerability");
        Assert.DoesNotContain(objects, o => o!.ToJsonString().Contains("for taxii-nl", StringComparison.Ordinal));
        Assert.Empty(Validate(objects));
    }

    [Fact]
    public async Task TheServerIsReadOnly()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CollectionOf(Partner) + "objects/")
        {
            Content = new StringContent("""{"objects":[]}""", System.Text.Encoding.UTF8, "application/taxii+json"),
        };
        request.Headers.Authorization = AsPartner;
        request.Headers.Accept.ParseAdd(TaxiiClient.MediaType);
        using var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TaxiiIsServedOnTheHttpEndpointOnly()
    {
        // The HTTP endpoint serves no gRPC, and the gRPC endpoint speaks HTTP/2 only (h2c).
        using var grpcOnHttp = await _taxii.GetAsync("/cirt.v1.KeyService/WhoAmI", TaxiiClient.Bearer(_partnerKey), accept: null);
        Assert.Equal(HttpStatusCode.NotFound, grpcOnHttp.StatusCode);

        using var onGrpcPort = new HttpClient(new SocketsHttpHandler()) { BaseAddress = new Uri(server.Address), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/taxii2/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Authorization = AsPartner;
        using var response = await onGrpcPort.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The objects as one bundle, checked by our STIX validator.</summary>
    internal static IReadOnlyList<StixViolation> Validate(JsonArray objects)
    {
        var bundle = new JsonObject
        {
            ["type"] = "bundle",
            ["id"] = "bundle--" + Guid.NewGuid().ToString("D"),
            ["objects"] = objects.DeepClone(),
        };
        return StixValidator.Validate(bundle.ToJsonString(), StixValidationMode.Export);
    }
}
