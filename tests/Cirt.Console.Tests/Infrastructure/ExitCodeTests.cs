using System.Net;
using System.Net.Sockets;
using Cirt.Contracts.V1;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests.Infrastructure;

/// <summary>
/// Every exit code class, against a real server on loopback: 0 done, 1 refused, 2 usage (before any
/// call, and nothing changed), 3 unreachable, 4 not authenticated.
/// </summary>
public sealed class ExitCodeTests : IAsyncLifetime
{
    private ConsoleServer _server = null!;

    public async Task InitializeAsync()
    {
        // Never read the configuration of whoever runs the tests.
        Environment.SetEnvironmentVariable("CIRT_CONFIG", Path.Combine(Path.GetTempPath(), "cirt-tests-no-config-" + Guid.NewGuid().ToString("N") + ".json"));
        _server = await ConsoleServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnAnsweredCallExitsWithZero()
    {
        var (exitCode, output) = await _server.RunAsync(_server.CoordinatorKey, "whoami");

        Assert.Equal(0, exitCode);
        Assert.Contains($"on {_server.Url}", output);
    }

    [Fact]
    public async Task ARefusedCallExitsWithOneAndNamesTheStatusAsGrpcSpellsIt()
    {
        var (exitCode, output) = await _server.RunAsync(_server.CoordinatorKey, "incidents", "show", "CIRT-2026-999999");

        Assert.Equal(1, exitCode);
        Assert.Contains("error (NOT_FOUND):", output);
        Assert.DoesNotContain("NotFound", output);
    }

    [Fact]
    public async Task AnUnknownOptionIsAUsageErrorAndChangesNothing()
    {
        var trackingId = await ReportAsync();

        var (exitCode, output) = await _server.RunAsync(_server.CoordinatorKey,
            "incidents", "triage", trackingId, "--class", "malicious-code", "--type", "infected-system", "--severity", "high", "--tpl", "red");

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown option 'tpl'", output);
        var incident = (await Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;
        Assert.Equal((IncidentStatus.Reported, Tlp.Amber), (incident.Status, incident.Tlp));
    }

    [Fact]
    public async Task AMisspeltFilterIsAUsageErrorNotTheWholeQueue()
    {
        await ReportAsync();

        var (exitCode, output) = await _server.RunAsync(_server.CoordinatorKey, "incidents", "list", "--staus", "reported");

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown option 'staus'", output);
        Assert.DoesNotContain("CIRT-", output);
    }

    [Theory]
    [InlineData("--page-size", "many", "'many' is not a number.")]
    [InlineData("--timeout", "soon", "'soon' is not a number.")]
    [InlineData("--timeout", "0", "--timeout 0 is not a deadline")]
    [InlineData("--output", "xml", "--output 'xml' is not a format")]
    [InlineData("--server", "ftp://127.0.0.1", "'ftp://127.0.0.1' is not a server address")]
    public async Task ABadValueIsAUsageError(string option, string value, string message)
    {
        var (exitCode, output) = await _server.RunAsync(_server.CoordinatorKey, "incidents", "list", option, value);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task AMissingArgumentIsAUsageError()
    {
        var (exitCode, output) = await _server.RunAsync(_server.CoordinatorKey, "incidents", "triage");

        Assert.Equal(2, exitCode);
        Assert.Contains("missing required argument 'TRACKING-ID'", output);
    }

    [Fact]
    public async Task AClosedPortExitsWithThree()
    {
        var closed = ClosedPortUrl();

        var (exitCode, output) = await OfflineRunAsync("whoami", "--server", closed, "--key", _server.CoordinatorKey);

        Assert.Equal(3, exitCode);
        Assert.Contains($"error (UNAVAILABLE): cannot reach the Cirt server at {closed}", output);
    }

    [Fact]
    public async Task ASecondServerThatWorksAnswersWhenTheFirstIsClosed()
    {
        var trackingId = await ReportAsync();
        var closed = ClosedPortUrl();

        // ConsoleServer.RunAsync adds this server's address after the closed one.
        var (repeated, repeatedOutput) = await _server.RunAsync(_server.CoordinatorKey, "incidents", "list", "--server", closed);
        var (commaSeparated, commaOutput) = await OfflineRunAsync("incidents", "list", "--server", $"{closed},{_server.Url}", "--key", _server.CoordinatorKey);

        Assert.Equal((0, 0), (repeated, commaSeparated));
        Assert.Contains(trackingId, repeatedOutput);
        Assert.Contains(trackingId, commaOutput);
    }

    [Fact]
    public async Task AKeyTheServerDoesNotKnowExitsWithFour()
    {
        var (exitCode, output) = await _server.RunAsync("cirt_thisisnotakeythisisnotakey", "whoami");

        Assert.Equal(4, exitCode);
        Assert.Contains("error (UNAUTHENTICATED):", output);
    }

    [Fact]
    public async Task FieldViolationsArePrintedOnceUnderTheConsoleFlags()
    {
        var (exitCode, output) = await _server.RunAsync(_server.CoordinatorKey, "report", "--reporter", "gridco", "--title", " ", "--description", "Two HMIs encrypted.");

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("error (INVALID_ARGUMENT): Invalid request.", lines);
        Assert.Contains("--title: is required", lines);
        Assert.Single(lines, line => line.Contains("is required", StringComparison.Ordinal));
    }

    private async Task<string> ReportAsync() =>
        (await new ReportingService.ReportingServiceClient(_server.Invoker(_server.CoordinatorKey)).SubmitIncidentAsync(new SubmitIncidentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ReporterStakeholderId = "gridco",
            Title = "Ransomware on SCADA HMI",
            Description = "Two HMI workstations show a ransom note.",
        })).TrackingId;

    private IncidentService.IncidentServiceClient Incidents() => new(_server.Invoker(_server.CoordinatorKey));

    private static async Task<(int ExitCode, string Output)> OfflineRunAsync(params string[] args)
    {
        var console = new TestConsole().Width(400);
        var exitCode = await CirtConsole.RunAsync(args, console);
        return (exitCode, console.Output);
    }

    private static string ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }
}
