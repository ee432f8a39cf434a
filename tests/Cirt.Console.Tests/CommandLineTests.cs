using System.Net;
using System.Net.Sockets;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests;

public sealed class CommandLineTests
{
    public CommandLineTests()
    {
        // Never read the configuration of whoever runs the tests.
        Environment.SetEnvironmentVariable("CIRT_CONFIG", Path.Combine(Path.GetTempPath(), "cirt-tests-no-config-" + Guid.NewGuid().ToString("N") + ".json"));
        Environment.SetEnvironmentVariable("CIRT_API_KEY", null);
        Environment.SetEnvironmentVariable("CIRT_SERVER", null);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(200);
        var exitCode = await CirtConsole.RunAsync(args, console);
        return (exitCode, console.Output);
    }

    [Fact]
    public async Task HelpListsTheCommandGroups()
    {
        var (exitCode, output) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var command in new[] { "login", "whoami", "keys", "report", "incidents", "stakeholders", "sectors" })
        {
            Assert.Contains(command, output);
        }
    }

    [Fact]
    public async Task IncidentHelpListsTheLifecycleCommands()
    {
        var (_, output) = await RunAsync("incidents", "--help");

        foreach (var command in new[] { "list", "show", "triage", "reject", "duplicate", "move", "assign", "note", "observe" })
        {
            Assert.Contains(command, output);
        }
    }

    [Fact]
    public async Task AnUnreachableServerIsExplainedWithExitCodeThree()
    {
        var closedPort = ClosedPort();

        var (exitCode, output) = await RunAsync("incidents", "list", "--server", $"http://127.0.0.1:{closedPort}");

        Assert.Equal(3, exitCode);
        Assert.Contains($"cannot reach the Cirt server at http://127.0.0.1:{closedPort}", output);
    }

    [Fact]
    public async Task AWrongWordIsAUsageErrorBeforeAnyCall()
    {
        var (exitCode, output) = await RunAsync("incidents", "move", "CIRT-2026-000001", "finished", "--server", $"http://127.0.0.1:{ClosedPort()}");

        Assert.Equal(2, exitCode);
        Assert.Contains("'finished' is not a status", output);
    }

    [Fact]
    public async Task AssignNeedsAUserOrUnassign()
    {
        var (exitCode, output) = await RunAsync("incidents", "assign", "CIRT-2026-000001", "--server", $"http://127.0.0.1:{ClosedPort()}");

        Assert.Equal(2, exitCode);
        Assert.Contains("Give either a user name or --unassign.", output);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
