using System.Net;
using System.Net.Sockets;
using Cirt.Server;
using Cirt.Server.Http;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests;

/// <summary>
/// A real Cirt server in this process for the console to talk to: memory profile, a fresh temporary
/// data folder, loopback on a port the system picks. One per test: start it in InitializeAsync and
/// dispose of it in DisposeAsync.
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly WebApplication _server;
    private readonly GrpcChannel _channel;

    private ConsoleServer(string directory, WebApplication server, string coordinatorKey)
    {
        _directory = directory;
        _server = server;
        // The gRPC endpoint: the HTTP endpoint (TAXII) listens beside it.
        var httpAddress = server.Services.GetRequiredService<HttpEndpoint>().Address;
        Url = server.Urls.Single(url => url != httpAddress);
        CoordinatorKey = coordinatorKey;
        _channel = GrpcChannel.ForAddress(Url);
    }

    /// <summary>Where the server listens, for --server.</summary>
    public string Url { get; }

    /// <summary>The bootstrap coordinator key the server wrote into its data folder at start.</summary>
    public string CoordinatorKey { get; }

    /// <summary>Starts a server; <paramref name="settings"/> are more command-line settings (e.g. "--Cirt:Federation:Country", "FR").</summary>
    public static async Task<ConsoleServer> StartAsync(params string[] settings)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cirt-console-tests-" + Guid.NewGuid().ToString("N"));
        var server = CirtServer.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Cirt:Http:Url", "http://127.0.0.1:0",
            // No scrape endpoint: its default port would collide between servers.
            "--Cirt:Metrics:Url", "",
            "--Cirt:Storage", "Memory",
            "--Cirt:DataDirectory", directory,
            "--Cirt:SiloPort", FreePort(),
            "--Cirt:GatewayPort", FreePort(),
            "--Logging:LogLevel:Default", "Warning",
            .. settings,
        ]);
        await server.StartAsync();
        var coordinatorKey = (await File.ReadAllTextAsync(Path.Combine(directory, "bootstrap-coordinator.key"))).Trim();
        return new ConsoleServer(directory, server, coordinatorKey);
    }

    /// <summary>gRPC calls to the server with <paramref name="key"/>, for what a test sets up or checks.</summary>
    public CallInvoker Invoker(string key) => _channel.Intercept(metadata =>
    {
        metadata.Add("authorization", "Bearer " + key);
        return metadata;
    });

    /// <summary>Runs the cirt console with <paramref name="args"/> against this server with <paramref name="key"/>.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string key, params string[] args)
    {
        var console = new TestConsole().Width(400);
        var exitCode = await CirtConsole.RunAsync([.. args, "--server", Url, "--key", key], console);
        return (exitCode, console.Output);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string FreePort() => Cirt.Tests.LoopbackPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
