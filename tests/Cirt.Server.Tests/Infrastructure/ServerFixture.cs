using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Cirt.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests;

/// <summary>
/// The real Cirt server (silo + gRPC) in this process, on the embedded SQLite profile (unless told
/// otherwise) in a fresh temporary folder, listening on free loopback ports: gRPC over HTTP/2, and
/// the HTTP/1.1 endpoint (TAXII).
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private GrpcChannel? _channel;

    /// <summary>Extra configuration, e.g. ["--Cirt:Security:PermitsPerSecond", "5"].</summary>
    public string[] ExtraArguments { get; init; } = [];

    /// <summary>The storage profile (Cirt:Storage): Embedded unless a test needs Memory.</summary>
    public string Storage { get; init; } = "Embedded";

    /// <summary>The business clock (reports, deadlines); the system clock unless a test moves time itself.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>The data folder: a fresh one under the temporary folder unless a test puts it elsewhere (a small file system).</summary>
    public string DataDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "cirt-server-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The gRPC endpoint (HTTP/2).</summary>
    public string Address { get; private set; } = "";

    /// <summary>The HTTP/1.1 endpoint (TAXII under /taxii2/), e.g. "http://127.0.0.1:41234".</summary>
    public string HttpAddress { get; private set; } = "";

    /// <summary>The metrics endpoint (/metrics, Prometheus), e.g. "http://127.0.0.1:41235".</summary>
    public string MetricsAddress { get; private set; } = "";

    /// <summary>Adds to the server's OpenTelemetry set-up (an in-memory exporter); tracing is on when set.</summary>
    public Action<OpenTelemetry.IOpenTelemetryBuilder>? Telemetry { get; init; }

    public async Task InitializeAsync()
    {
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Starts the server on the fixture's data folder (again, after <see cref="StopAsync"/>).</summary>
    public async Task StartAsync()
    {
        // Port 0: the system picks a free port at bind time, so parallel test runs cannot collide.
        _app = CirtServer.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Cirt:Http:Url", "http://127.0.0.1:0",
            "--Cirt:Metrics:Url", "http://127.0.0.1:0",
            "--Cirt:Storage", Storage,
            "--Cirt:DataDirectory", DataDirectory,
            "--Cirt:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Cirt:GatewayPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
            // Aggregation passes every 200 ms instead of every 10 s: tests wait for them.
            "--Cirt:Ingest:AggregationFlushInterval", "00:00:00.2",
            // Many test classes share one server and its coordinator key, one after another: the per-key
            // rate limit is RateLimitTests' subject (their own fixture sets it), not every test's.
            "--Cirt:Security:PermitsPerSecond", "100000",
            "--Cirt:Security:Burst", "100000",
            .. ExtraArguments,
        ], Clock, Telemetry);
        await _app.StartAsync();
        HttpAddress = _app.Services.GetRequiredService<HttpEndpoint>().Address;
        MetricsAddress = _app.Services.GetRequiredService<Cirt.Server.Telemetry.MetricsEndpoint>().Address;
        Address = _app.Urls.Single(url => url != HttpAddress && url != MetricsAddress);
        _channel = GrpcChannel.ForAddress(Address);
        if (CoordinatorKey.Length == 0)
        {
            CoordinatorKey = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "bootstrap-coordinator.key"))).Trim();
            AnalystKey = await IssueKeyAsync("alice", Role.Analyst);
            GridcoKey = await IssueKeyAsync("gridco-soc", Role.Operator, "gridco");
        }
    }

    public async Task StopAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>The bootstrap coordinator key the server wrote into its data folder at first start.</summary>
    public string CoordinatorKey { get; private set; } = "";

    /// <summary>An analyst, "alice".</summary>
    public string AnalystKey { get; private set; } = "";

    /// <summary>An operator of the seeded stakeholder gridco, "gridco-soc".</summary>
    public string GridcoKey { get; private set; } = "";

    /// <summary>Calls with the given key; an empty key sends no credential at all.</summary>
    public CallInvoker Invoker(string? apiKey) =>
        _channel!.Intercept(metadata =>
        {
            if (!string.IsNullOrEmpty(apiKey))
            {
                metadata.Add("authorization", "Bearer " + apiKey);
            }

            return metadata;
        });

    /// <summary>Reporting as gridco's operator unless another key is given.</summary>
    public ReportingService.ReportingServiceClient Reporting(string? apiKey = null) => new(Invoker(apiKey ?? GridcoKey));

    /// <summary>The incident service as analyst alice unless another key is given.</summary>
    public IncidentService.IncidentServiceClient Incidents(string? apiKey = null) => new(Invoker(apiKey ?? AnalystKey));

    public StakeholderService.StakeholderServiceClient Stakeholders(string? apiKey = null) => new(Invoker(apiKey ?? CoordinatorKey));

    public SectorService.SectorServiceClient Sectors(string? apiKey = null) => new(Invoker(apiKey ?? CoordinatorKey));

    public PlaybookService.PlaybookServiceClient Playbooks(string? apiKey = null) => new(Invoker(apiKey ?? CoordinatorKey));

    public AdvisoryService.AdvisoryServiceClient Advisories(string? apiKey = null) => new(Invoker(apiKey ?? CoordinatorKey));

    public KeyService.KeyServiceClient Keys(string? apiKey = null) => new(Invoker(apiKey ?? CoordinatorKey));

    /// <summary>Ingest as gridco's operator unless another key is given.</summary>
    public IngestService.IngestServiceClient Ingest(string? apiKey = null) => new(Invoker(apiKey ?? GridcoKey));

    /// <summary>The feed registry as the coordinator unless another key is given.</summary>
    public FeedService.FeedServiceClient Feeds(string? apiKey = null) => new(Invoker(apiKey ?? CoordinatorKey));

    /// <summary>The id of an API key (16 hex digits), as WhoAmI tells its holder.</summary>
    public async Task<string> KeyIdAsync(string apiKey) => (await Keys(apiKey).WhoAmIAsync(new WhoAmIRequest())).Key.KeyId;

    /// <summary>
    /// Lets <paramref name="apiKey"/> publish events of <paramref name="feed"/>, as the coordinator
    /// would through the API: registers the feed first (NATIONAL unless <paramref name="settings"/>
    /// says otherwise) when it is not registered yet, then grants it. Returns the key's id.
    /// </summary>
    public async Task<string> GrantFeedAsync(string feed, string apiKey, FeedSettings? settings = null)
    {
        try
        {
            await Feeds().RegisterFeedAsync(new RegisterFeedRequest { Name = feed, Settings = settings ?? new FeedSettings { Trust = FeedTrust.National } });
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
        {
        }

        var keyId = await KeyIdAsync(apiKey);
        await Feeds().GrantFeedAsync(new GrantFeedRequest { Name = feed, KeyId = keyId });
        return keyId;
    }

    /// <summary>Issues a key through the API, as the coordinator.</summary>
    public async Task<string> IssueKeyAsync(string name, Role role, string stakeholderId = "", string partnerId = "") =>
        (await Keys().IssueKeyAsync(new IssueKeyRequest { Name = name, Role = role, StakeholderId = stakeholderId, PartnerId = partnerId })).ApiKey;

    public GrpcChannel Channel => _channel!;

    /// <summary>The running server's services (its storage, for tests that watch it).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server is not running.");
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
