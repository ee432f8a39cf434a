using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace Cirt.Server.Tests;

/// <summary>
/// The real Cirt server (silo + gRPC) in this process, on the embedded SQLite profile in a fresh
/// temporary folder, listening on a free loopback port over HTTP/2.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private GrpcChannel? _channel;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cirt-server-tests-" + Guid.NewGuid().ToString("N"));

    public string Address { get; private set; } = "";

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
        var port = FreePort.Next();
        Address = $"http://127.0.0.1:{port}";
        _app = CirtServer.Build(
        [
            "--urls", Address,
            "--Cirt:Storage", "Embedded",
            "--Cirt:DataDirectory", DataDirectory,
            "--Cirt:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Cirt:GatewayPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await _app.StartAsync();
        _channel = GrpcChannel.ForAddress(Address);
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

    public CallInvoker Invoker(string user = "analyst-alice") =>
        _channel!.Intercept(metadata =>
        {
            metadata.Add("x-cirt-user", user);
            return metadata;
        });

    public ReportingService.ReportingServiceClient Reporting(string user = "operator-gridco") => new(Invoker(user));

    public IncidentService.IncidentServiceClient Incidents(string user = "analyst-alice") => new(Invoker(user));

    public StakeholderService.StakeholderServiceClient Stakeholders(string user = "coordinator-carol") => new(Invoker(user));

    public SectorService.SectorServiceClient Sectors(string user = "coordinator-carol") => new(Invoker(user));

    public GrpcChannel Channel => _channel!;
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
