using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cirt.Benchmarks.Ingest;

/// <summary>A gRPC server on loopback in this process serving only <see cref="NoOpIngestService"/>.</summary>
public sealed class NoOpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NoOpServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<NoOpServer> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 4 * 1024 * 1024);
        var app = builder.Build();
        app.MapGrpcService<NoOpIngestService>();
        await app.StartAsync();
        return new NoOpServer(app, $"http://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
