using System.Net;
using Cirt.Contracts.V1;
using Cirt.Server.Tests.Ingest;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Http;

/// <summary>
/// The HTTP/JSON face (gRPC JSON transcoding) on the HTTP/1.1 endpoint, driven by a plain HTTP/1.1
/// client as curl would: the same keys, access rules, validation and errors as gRPC.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HttpJsonTests(ServerFixture server)
{
    private JsonClient As(string apiKey) => new(server.HttpAddress, apiKey);

    private static string Report(string title) => $$"""
        {
          "requestId": "{{Guid.NewGuid()}}",
          "reporterStakeholderId": "gridco",
          "title": "{{title}}",
          "description": "Two HMI workstations show a ransom note.",
          "observables": [{ "type": "OBSERVABLE_TYPE_IP_ADDRESS", "value": "203.0.113.7" }]
        }
        """;

    private async Task<string> ReportAsync(string title)
    {
        using var operatorClient = As(server.GridcoKey);
        var submitted = await operatorClient.PostAsync("/v1/incidents", Report(title));
        Assert.True(submitted.Status == HttpStatusCode.OK, submitted.Text);
        return (string)submitted.Body["trackingId"]!;
    }

    [Fact]
    public async Task AReportPostedAsJsonIsListedAndReadBackOverHttp11()
    {
        using var operatorClient = As(server.GridcoKey);
        var submitted = await operatorClient.PostAsync("/v1/incidents", Report("Phishing wave at gridco (JSON)"));

        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        Assert.Equal(HttpVersion.Version11, submitted.Version);
        Assert.Equal("application/json", submitted.MediaType);
        var trackingId = (string)submitted.Body["trackingId"]!;
        Assert.StartsWith("CIRT-", trackingId, StringComparison.Ordinal);

        using var analyst = As(server.AnalystKey);
        var listed = await analyst.GetAsync("/v1/incidents?statuses=INCIDENT_STATUS_REPORTED&pageSize=500");
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Contains(trackingId, listed.Body["incidents"]!.AsArray().Select(i => (string?)i!["trackingId"]));

        var read = await analyst.GetAsync($"/v1/incidents/{trackingId}");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("Phishing wave at gridco (JSON)", (string?)read.Body["incident"]!["title"]);
        Assert.Equal("INCIDENT_STATUS_REPORTED", (string?)read.Body["incident"]!["status"]);
        // The same incident, as gRPC sees it.
        var overGrpc = await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId });
        Assert.Equal("Phishing wave at gridco (JSON)", overGrpc.Incident.Title);
    }

    [Fact]
    public async Task ATriagePostedAsJsonMovesTheIncident()
    {
        var trackingId = await ReportAsync("Defacement of gridco.example");
        using var analyst = As(server.AnalystKey);

        var triaged = await analyst.PostAsync($"/v1/incidents/{trackingId}:triage", """
            {
              "outcome": "TRIAGE_OUTCOME_ACCEPT",
              "rsitClass": "intrusions",
              "rsitType": "application-compromise",
              "severity": "SEVERITY_MEDIUM",
              "tlp": "TLP_AMBER_STRICT",
              "assignee": "alice"
            }
            """);

        Assert.True(triaged.Status == HttpStatusCode.OK, triaged.Text);
        Assert.Equal("INCIDENT_STATUS_TRIAGED", (string?)triaged.Body["incident"]!["status"]);
        var overGrpc = (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;
        Assert.Equal(IncidentStatus.Triaged, overGrpc.Status);
        Assert.Equal("application-compromise", overGrpc.RsitType);
        Assert.Equal("alice", overGrpc.Assignee);
    }

    [Fact]
    public async Task AJsonBatchPostedToIngestIsStoredAndCountedInTheStats()
    {
        const string feed = "http-json-sensor";
        await server.GrantFeedAsync(feed, server.GridcoKey);
        var observed = DateTimeOffset.UtcNow.AddMinutes(-2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        using var sensor = As(server.GridcoKey);

        var published = await sensor.PostAsync("/v1/ingest/events", $$"""
            {
              "batchId": "json-1",
              "events": [
                { "producerEventId": "json-ev-1", "feed": "{{feed}}", "rsitClass": "malicious-code", "rsitType": "infected-system", "observedAt": "{{observed}}", "sourceIp": "198.51.100.20" },
                { "producerEventId": "json-ev-2", "feed": "{{feed}}", "rsitClass": "malicious-code", "rsitType": "infected-system", "observedAt": "{{observed}}", "sourceIp": "198.51.100.21" }
              ]
            }
            """);

        Assert.True(published.Status == HttpStatusCode.OK, published.Text);
        Assert.Equal("json-1", (string?)published.Body["ack"]!["batchId"]);
        Assert.Equal(2, (int)published.Body["ack"]!["acceptedCount"]!);
        Assert.Empty(published.Body["ack"]!["rejected"]!.AsArray());

        using var analyst = As(server.AnalystKey);
        var stats = await Eventually.ReadAsync(
            () => analyst.GetAsync("/v1/ingest/stats"),
            answer => answer.Status == HttpStatusCode.OK && StoredOf(answer, feed) == 2,
            "GET /v1/ingest/stats never counted the two events of the JSON batch");
        // int64 travels as a JSON string, as the protobuf JSON mapping says.
        Assert.Equal("2", (string?)stats.Body["feeds"]!.AsArray().Single(f => (string?)f!["feed"] == feed)!["stored"]);
        Assert.Equal(2, (await IngestStats.SettledAsync(server.Ingest(server.AnalystKey))).Feeds.Single(f => f.Feed == feed).Stored);
    }

    private static long StoredOf(JsonAnswer stats, string feed) =>
        stats.Body["feeds"]!.AsArray().Where(f => (string?)f!["feed"] == feed).Select(f => long.Parse((string)f!["stored"]!, System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();

    [Fact]
    public async Task WithoutAKeyTheAnswerIs401WithTheReason()
    {
        using var anonymous = As("");

        var answer = await anonymous.GetAsync("/v1/incidents");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("application/json", answer.MediaType);
        Assert.Equal(16, (int)answer.Body["code"]!);
        Assert.Equal("UNAUTHENTICATED", (string?)answer.Body["status"]);
        Assert.Contains("Bearer", (string?)answer.Body["message"], StringComparison.Ordinal);
        Assert.Equal("Bearer", answer.Headers["WWW-Authenticate"]);
        Assert.DoesNotContain("Basic", (string?)answer.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyThatIsNotValidIs401()
    {
        using var forged = As("cirt_0123456789abcdef_notthesecret");

        var answer = await forged.GetAsync("/v1/whoami");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("UNAUTHENTICATED", (string?)answer.Body["status"]);
    }

    [Fact]
    public async Task ARoleThatMayNotCallTheMethodIs403()
    {
        using var analyst = As(server.AnalystKey);

        var answer = await analyst.GetAsync("/v1/keys");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal(7, (int)answer.Body["code"]!);
        Assert.Equal("PERMISSION_DENIED", (string?)answer.Body["status"]);
        Assert.Contains("cirt.v1.KeyService/ListKeys", (string?)answer.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInputIs400WithTheFieldViolationsInTheBody()
    {
        using var operatorClient = As(server.GridcoKey);

        var answer = await operatorClient.PostAsync("/v1/incidents", Report(""));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(3, (int)answer.Body["code"]!);
        Assert.Equal("INVALID_ARGUMENT", (string?)answer.Body["status"]);
        Assert.Contains("title", (string?)answer.Body["message"], StringComparison.Ordinal);
        Assert.Equal(["title"], answer.ViolatedFields);
        var violation = answer.Body["details"]![0]!["fieldViolations"]![0]!;
        Assert.False(string.IsNullOrEmpty((string?)violation["description"]));
    }

    [Fact]
    public async Task JsonThatIsNotTheRequestMessageIs400()
    {
        using var operatorClient = As(server.GridcoKey);

        var answer = await operatorClient.PostAsync("/v1/incidents", """{ "title": 12, "noSuchField": true """);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("INVALID_ARGUMENT", (string?)answer.Body["status"]);
    }

    [Fact]
    public async Task WithoutAKeyABodyThatIsNotJsonIs401NotADiagnosisOfTheBody()
    {
        using var anonymous = As("");

        var answer = await anonymous.PostAsync("/v1/incidents", """{ "title": """);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("UNAUTHENTICATED", (string?)answer.Body["status"]);
    }

    [Fact]
    public async Task ABodyOverTheCapIsRefusedUnread()
    {
        var huge = Report("huge").Replace("Two HMI", new string('x', (int)Cirt.Server.Http.JsonErrorMiddleware.MaxBodyBytes) + " Two HMI", StringComparison.Ordinal);
        using var http = new HttpClient();
        // As curl does with a large body: the server may refuse it before it is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, server.HttpAddress + "/v1/incidents")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(huge, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", server.GridcoKey);
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("RESOURCE_EXHAUSTED", (string?)body["status"]);
    }

    [Fact]
    public async Task AnUnknownIncidentIs404()
    {
        using var analyst = As(server.AnalystKey);

        var answer = await analyst.GetAsync("/v1/incidents/CIRT-1999-999999");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal(5, (int)answer.Body["code"]!);
        Assert.Equal("NOT_FOUND", (string?)answer.Body["status"]);
    }

    [Theory]
    [InlineData("GET", "/v1/no-such-thing")]
    [InlineData("DELETE", "/v1/incidents")]
    public async Task ARouteTheFaceDoesNotHaveIsAJson404(string method, string path)
    {
        using var analyst = As(server.AnalystKey);

        var answer = await analyst.SendAsync(new HttpMethod(method), path, null);

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("NOT_FOUND", (string?)answer.Body["status"]);
        Assert.Contains(path, (string?)answer.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcStillAnswersOnItsOwnPortAndTheFacesStayApart()
    {
        // gRPC as before, on its own port.
        var me = await server.Keys(server.AnalystKey).WhoAmIAsync(new WhoAmIRequest());
        Assert.Equal("alice", me.Key.Name);
        using var analyst = As(server.AnalystKey);
        Assert.Equal("alice", (string?)(await analyst.GetAsync("/v1/whoami")).Body["key"]!["name"]);

        // The JSON routes are not served on the gRPC port (h2c), nor gRPC methods on the HTTP endpoint.
        using var h2c = new HttpClient();
        using var onGrpcPort = new HttpRequestMessage(HttpMethod.Get, server.Address + "/v1/whoami")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        onGrpcPort.Headers.Authorization = new("Bearer", server.AnalystKey);
        using var grpcPortAnswer = await h2c.SendAsync(onGrpcPort);
        Assert.Equal(HttpStatusCode.NotFound, grpcPortAnswer.StatusCode);
        var grpcPathOnHttpEndpoint = await analyst.PostAsync("/cirt.v1.KeyService/WhoAmI", "{}");
        Assert.Equal(HttpStatusCode.NotFound, grpcPathOnHttpEndpoint.Status);
    }

    [Fact]
    public void EveryPublicMethodHasAJsonRouteAndNothingElseHasOne()
    {
        var routed = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>())
            .OfType<GrpcJsonTranscodingMetadata>()
            .Select(m => m.MethodDescriptor.FullName)
            .ToHashSet();

        // Every method of the public API that HTTP/1.1 can carry (not client streams), except
        // FederationService, which partners reach over gRPC only.
        var expected = Cirt.Server.Api.CirtApi.Files
            .SelectMany(f => f.Services)
            .Where(s => s.Name != "FederationService")
            .SelectMany(s => s.Methods)
            .Where(m => !m.IsClientStreaming)
            .Select(m => m.FullName)
            .ToHashSet();
        Assert.Empty(expected.Except(routed));
        // Health, reflection and federation have none.
        Assert.Empty(routed.Except(expected));
    }
}
