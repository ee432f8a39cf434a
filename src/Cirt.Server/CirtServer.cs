using Cirt.Server.Extensions;

namespace Cirt.Server;

/// <summary>Builds the Cirt process: the Orleans silo, the gRPC endpoints and the HTTP endpoint (TAXII, the HTTP/JSON face) in one host.</summary>
public static class CirtServer
{
    /// <exception cref="StartupRefusedException">A setting breaks its rule, or the data folder cannot be made.</exception>
    /// <param name="args">Command-line configuration.</param>
    /// <param name="clock">The clock deadlines run on: the system clock unless a test moves time itself.</param>
    /// <param name="telemetry">Adds to the OpenTelemetry set-up, e.g. a test's in-memory exporters; tracing is on when given.</param>
    public static WebApplication Build(string[] args, TimeProvider? clock = null, Action<OpenTelemetry.IOpenTelemetryBuilder>? telemetry = null)
    {
        // Microsoft.Data.Sqlite does its I/O (and fsync) synchronously even behind async APIs, so
        // storage calls hold pool threads: start with enough of them that acknowledgements never
        // wait for the pool to grow.
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(completion, 64));

        // Settings ship beside the binary, so the server behaves the same from any working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // Every setting is checked before anything is created; a bad one stops here (StartupRefusedException).
        StartupChecks.Ensure(builder.Configuration);
        builder.AddCirtStorageHealth();
        builder.AddCirtOrleans(clock ?? TimeProvider.System);
        builder.AddCirtSecurity();
        builder.AddCirtIdempotency();
        builder.AddCirtGrpc();
        builder.AddCirtHttp();
        builder.AddCirtHttpJson();
        builder.AddCirtTelemetry(telemetry);
        builder.AddCirtIngest();
        builder.AddCirtInbox();
        builder.AddCirtFederation();
        builder.AddCirtAdvisorySharing();
        builder.AddCirtIncidentSharing();
        builder.AddCirtTaxii();
        builder.AddCirtBackup();

        var app = builder.Build();
        app.UseCirtTelemetry();
        app.UseCirtHttpJson();
        app.UseCirtHttp();
        app.UseCirtSecurity();
        app.MapCirtGrpc();
        app.MapCirtFederation();
        app.MapCirtTaxii();
        app.MapCirtIntelMq();
        app.MapCirtBackup();
        return app;
    }
}
