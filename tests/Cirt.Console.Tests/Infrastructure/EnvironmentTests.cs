using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests.Infrastructure;

/// <summary>
/// What the console takes from its environment: several servers in CIRT_SERVER, a deadline in
/// CIRT_TIMEOUT, and the file cirt login writes (UTF-8 without a byte order mark, so that other tools
/// read it). Against a real server on loopback.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class EnvironmentTests : IAsyncLifetime
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), "cirt-tests-config-" + Guid.NewGuid().ToString("N"), "config.json");
    private ConsoleServer _server = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("CIRT_CONFIG", _config);
        Environment.SetEnvironmentVariable("CIRT_API_KEY", null);
        Environment.SetEnvironmentVariable("CIRT_SERVER", null);
        Environment.SetEnvironmentVariable("CIRT_TIMEOUT", null);
        _server = await ConsoleServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("CIRT_API_KEY", null);
        Environment.SetEnvironmentVariable("CIRT_SERVER", null);
        Environment.SetEnvironmentVariable("CIRT_TIMEOUT", null);
        if (File.Exists(_config))
        {
            Directory.Delete(Path.GetDirectoryName(_config)!, recursive: true);
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task CirtServerListsSeveralServersTriedInTurn()
    {
        Environment.SetEnvironmentVariable("CIRT_SERVER", $"{ClosedPortUrl()}, {_server.Url}");
        Environment.SetEnvironmentVariable("CIRT_API_KEY", _server.CoordinatorKey);

        var (exitCode, output) = await RunAsync("whoami");

        Assert.Equal(0, exitCode);
        Assert.Contains($"on {_server.Url}", output);
    }

    [Fact]
    public async Task ATimeoutInTheEnvironmentThatIsNoNumberIsAUsageError()
    {
        Environment.SetEnvironmentVariable("CIRT_TIMEOUT", "forever");

        var (exitCode, output) = await RunAsync("whoami", "--server", _server.Url, "--key", _server.CoordinatorKey);

        Assert.Equal(2, exitCode);
        Assert.Contains("CIRT_TIMEOUT 'forever' is not a deadline", output);
    }

    [Fact]
    public async Task LoginWritesItsFileAsUtf8WithoutAByteOrderMark()
    {
        var closed = ClosedPortUrl();

        var (exitCode, _) = await RunAsync("login", "--server", closed, "--server", _server.Url, "--key", _server.CoordinatorKey);

        Assert.Equal(0, exitCode);
        var bytes = await File.ReadAllBytesAsync(_config);
        Assert.Equal((byte)'{', bytes[0]);
        using var saved = JsonDocument.Parse(bytes);
        Assert.Equal($"{closed},{_server.Url}", saved.RootElement.GetProperty("server").GetString());

        // The saved servers are used in turn, the closed one first.
        var (whoAmIExit, whoAmIOutput) = await RunAsync("whoami");
        Assert.Equal(0, whoAmIExit);
        Assert.Contains($"on {_server.Url}", whoAmIOutput);
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
