using System.Net;
using System.Net.Sockets;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests;

/// <summary>
/// The console run with no server behind it (a closed loopback port) and no saved configuration:
/// what it refuses before any call is a usage error (exit code 2), anything else is "cannot reach" (3).
/// </summary>
public static class OfflineConsole
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args) => await RunWithInputAsync("", args);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="stdin"/> piped in.</summary>
    public static async Task<(int ExitCode, string Output)> RunWithInputAsync(string stdin, params string[] args)
    {
        // Never read the configuration of whoever runs the tests.
        Environment.SetEnvironmentVariable("CIRT_CONFIG", Path.Combine(Path.GetTempPath(), "cirt-tests-no-config-" + Guid.NewGuid().ToString("N") + ".json"));
        Environment.SetEnvironmentVariable("CIRT_API_KEY", null);
        Environment.SetEnvironmentVariable("CIRT_SERVER", null);
        var console = new TestConsole().Width(400);
        // Help takes no options (parsing is strict): --server only where a command runs.
        string[] server = args.Contains("--help") ? [] : ["--server", $"http://127.0.0.1:{ClosedPort()}"];
        var exitCode = await CirtConsole.RunAsync([.. args, .. server], console, new StringReader(stdin));
        return (exitCode, console.Output);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
