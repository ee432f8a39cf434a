using System.Net;
using System.Net.Sockets;
using Cirt.Contracts.V1;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests.Infrastructure;

/// <summary>
/// What the console does when answers are lost, late or cut off: a report is retried with the same
/// request id and recorded once; a read is tried again past its deadline, a change is not; a
/// followed inbox goes on at the next server. A real server on loopback, behind a front server that
/// misbehaves on purpose.
/// </summary>
public sealed class ResilienceTests : IAsyncLifetime
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
    public async Task AReportWhoseAnswerIsLostIsSentAgainWithTheSameRequestIdAndRecordedOnce()
    {
        var reporting = new LostAnswerReportingService(_server.Invoker(_server.CoordinatorKey), answersToLose: 1);
        await using var front = await FrontServer.StartAsync(reporting);

        var (exitCode, output) = await RunAsync("report", "--reporter", "gridco", "--title", "Lost answer", "--description", "The first answer never arrives.",
            "--server", front.Url, "--key", _server.CoordinatorKey);

        Assert.Equal(0, exitCode);
        var sent = reporting.RequestIds.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Equal(sent[0], sent[1]);
        Assert.True(Guid.TryParse(sent[0], out _), $"'{sent[0]}' is not a UUID");
        Assert.Contains($"request id {sent[0]}", output);
        Assert.Single(await IncidentsTitledAsync("Lost answer"));
    }

    [Fact]
    public async Task AGivenRequestIdIsTheOneSentOnEveryAttempt()
    {
        var requestId = Guid.NewGuid().ToString();
        var reporting = new LostAnswerReportingService(_server.Invoker(_server.CoordinatorKey), answersToLose: 2);
        await using var front = await FrontServer.StartAsync(reporting);

        var (exitCode, output) = await RunAsync("report", "--reporter", "gridco", "--title", "Given id", "--description", "Two answers lost.",
            "--request-id", requestId, "--server", front.Url, "--key", _server.CoordinatorKey);

        Assert.Equal(0, exitCode);
        Assert.Equal([requestId, requestId, requestId], reporting.RequestIds);
        Assert.Contains($"request id {requestId}", output);
        Assert.Single(await IncidentsTitledAsync("Given id"));
    }

    [Fact]
    public async Task AReportThatGetsNoAnswerIsNotSentAgainBlindlyAndItsRequestIdIsShownToResend()
    {
        var reporting = new SilentReportingService();
        await using var front = await FrontServer.StartAsync(reporting);

        var (exitCode, output) = await RunAsync("report", "--reporter", "gridco", "--title", "No answer", "--description", "The server never answers.",
            "--timeout", "1", "--server", front.Url, "--key", _server.CoordinatorKey);

        Assert.Equal(3, exitCode);
        Assert.Contains("error (DEADLINE_EXCEEDED)", output);
        // A change whose outcome is unknown is not repeated on a deadline; the operator resends with the id.
        var sent = Assert.Single(reporting.RequestIds);
        Assert.Contains($"--request-id {sent}", output);
    }

    [Fact]
    public async Task AReadThatGetsNoAnswerIsTriedAgainEachWithItsOwnDeadline()
    {
        var keys = new SilentKeyService();
        await using var front = await FrontServer.StartAsync(keys);

        var (exitCode, output) = await RunAsync("whoami", "--timeout", "1", "--server", front.Url, "--key", _server.CoordinatorKey);

        Assert.Equal(3, exitCode);
        Assert.Contains("error (DEADLINE_EXCEEDED): no answer from the Cirt server", output);
        Assert.Equal(1 + new Cirt.Console.Infrastructure.ResilienceOptions(TimeSpan.Zero).MaxRetries, keys.Attempts);
    }

    [Fact]
    public async Task AFollowedInboxGoesOnAtTheNextServerWhenItsStreamBreaks()
    {
        await using var front = await FrontServer.StartAsync(new BreakingInboxService("task seen on the first server", "never sent"));

        var (exitCode, output) = await RunAsync("inbox", "--once", "--server", front.Url, "--server", _server.Url, "--key", _server.CoordinatorKey);

        Assert.Equal(0, exitCode);
        Assert.Contains("task seen on the first server", output);
        Assert.DoesNotContain("error", output);
    }

    [Fact]
    public async Task AFollowedInboxThatReconnectsShowsEachItemOnce()
    {
        await using var front = await FrontServer.StartAsync(new BreakingInboxService("isolate the HMI network", "send the firewall logs"));

        var (exitCode, output) = await RunAsync("inbox", "--once", "--server", front.Url, "--key", _server.CoordinatorKey);

        Assert.Equal(0, exitCode);
        Assert.Single(output.Split('\n'), line => line.Contains("isolate the HMI network", StringComparison.Ordinal));
        Assert.Contains("send the firewall logs", output);
    }

    [Fact]
    public async Task AClosedFirstServerIsSkippedForAChangeThatNeverReachedIt()
    {
        // Sent to the next server because the first refused the connection: nothing reached it, so nothing can be applied twice.
        var (exitCode, output) = await RunAsync("playbooks", "set", "availability", "--step", "cirt:6:Coordinate filtering with ISPs",
            "--server", ClosedPortUrl(), "--server", _server.Url, "--key", _server.CoordinatorKey);

        Assert.Equal(0, exitCode);
        var playbook = await new PlaybookService.PlaybookServiceClient(_server.Invoker(_server.CoordinatorKey))
            .GetPlaybookAsync(new GetPlaybookRequest { RsitClass = "availability" });
        Assert.Contains(playbook.Playbook.Steps, step => step.Title == "Coordinate filtering with ISPs");
        Assert.DoesNotContain("error", output);
    }

    private async Task<List<IncidentSummary>> IncidentsTitledAsync(string title)
    {
        var incidents = new IncidentService.IncidentServiceClient(_server.Invoker(_server.CoordinatorKey));
        var page = await incidents.ListIncidentsAsync(new ListIncidentsRequest { PageSize = 100 });
        return page.Incidents.Where(incident => incident.Title == title).ToList();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
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
