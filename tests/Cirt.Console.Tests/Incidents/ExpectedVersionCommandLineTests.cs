using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Console.Tests.Incidents;

/// <summary>
/// --expected-version is offered exactly where the server honours it: a change made over a stale
/// version is refused (exit 1) and changes nothing, one made over the current version applies; a
/// command whose call has no incident version does not offer it. Against a real server in this
/// process (memory profile, loopback).
/// </summary>
public sealed class ExpectedVersionCommandLineTests : IAsyncLifetime
{
    private ConsoleServer _server = null!;
    private string _trackingId = "";

    public async Task InitializeAsync()
    {
        _server = await ConsoleServer.StartAsync();
        _trackingId = (await new ReportingService.ReportingServiceClient(Invoker()).SubmitIncidentAsync(new SubmitIncidentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ReporterStakeholderId = "gridco",
            Title = "Ransomware on SCADA HMI",
            Description = "Two HMI workstations show a ransom note; operators switched to manual control.",
        })).TrackingId;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ChangesOverAStaleVersionAreRefusedAndChangeNothing()
    {
        var version = (await IncidentAsync()).Version;
        var stale = (version + 5).ToString(System.Globalization.CultureInfo.InvariantCulture);

        string[][] commands =
        [
            ["incidents", "note", _trackingId, "late", "--expected-version", stale],
            ["incidents", "affect", _trackingId, "gridco", "--expected-version", stale],
            ["incidents", "refer", _trackingId, "--agency", "Police", "--reference", "P-1", "--expected-version", stale],
            ["incidents", "restoration", _trackingId, "gridco", "not-restored", "--expected-version", stale],
            ["tasks", "add", _trackingId, "late", "--stakeholder", "gridco", "--expected-version", stale],
        ];
        var exits = new List<int>();
        foreach (var command in commands)
        {
            exits.Add((await RunAsync(command)).ExitCode);
        }

        Assert.All(exits, exit => Assert.Equal(1, exit));
        Assert.Equal(version, (await IncidentAsync()).Version);
        var (current, _) = await RunAsync("incidents", "note", _trackingId, "on time", "--expected-version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((0, version + 1), (current, (await IncidentAsync()).Version));
    }

    [Fact]
    public async Task OnlyCommandsWhoseCallsHonourItOfferIt()
    {
        var (_, note) = await RunAsync("incidents", "note", "--help");
        var (_, reviewTask) = await RunAsync("review", "task", "--help");
        var (_, show) = await RunAsync("incidents", "show", "--help");
        var (_, reviewAdvisory) = await RunAsync("review", "advisory", "--help");

        Assert.Contains("--expected-version", note);
        Assert.Contains("--expected-version", reviewTask);
        Assert.DoesNotContain("--expected-version", show);
        Assert.DoesNotContain("--expected-version", reviewAdvisory);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => _server.RunAsync(_server.CoordinatorKey, args);

    private async Task<Incident> IncidentAsync() =>
        (await new IncidentService.IncidentServiceClient(Invoker()).GetIncidentAsync(new GetIncidentRequest { TrackingId = _trackingId })).Incident;

    private CallInvoker Invoker() => _server.Invoker(_server.CoordinatorKey);
}
