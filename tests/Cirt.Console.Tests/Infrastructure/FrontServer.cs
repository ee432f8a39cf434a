using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cirt.Console.Tests;

/// <summary>
/// A gRPC server on loopback that stands where a Cirt server would, with one service a test
/// provides: one that loses answers, never answers, or breaks a stream, to see what the console
/// does then. What it does not fake it forwards to a real <see cref="ConsoleServer"/>.
/// </summary>
public sealed class FrontServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FrontServer(WebApplication app)
    {
        _app = app;
        Url = app.Urls.Single();
    }

    /// <summary>Where it listens, for --server.</summary>
    public string Url { get; }

    /// <summary>Starts a server offering <paramref name="service"/> (a generated gRPC service base's subclass).</summary>
    public static async Task<FrontServer> StartAsync<TService>(TService service) where TService : class
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<TService>();
        await app.StartAsync();
        return new FrontServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
