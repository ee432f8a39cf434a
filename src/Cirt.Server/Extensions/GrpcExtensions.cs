using Microsoft.AspNetCore.Server.Kestrel.Core;
using Cirt.Grains.Common;
using Cirt.Server.Advisories;
using Cirt.Server.Feeds;
using Cirt.Server.Federation;
using Cirt.Server.Inbox;
using Cirt.Server.Incidents;
using Cirt.Server.Ingest;
using Cirt.Server.Playbooks;
using Cirt.Server.Sectors;
using Cirt.Server.Security;
using Cirt.Server.Seeding;
using Cirt.Server.Stakeholders;
using Cirt.Server.Stix;
using Cirt.Server.Storage;

namespace Cirt.Server.Extensions;

public static class GrpcExtensions
{
    /// <summary>Where the server listens when nothing else is configured: plain HTTP/2 on loopback.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The grpc.health.v1 service name that reports liveness only (the silo answers), whatever the disk.</summary>
    public const string LivenessService = "cirt.liveness";

    /// <summary>gRPC with explicit message limits, error mapping, reflection and health.</summary>
    public static WebApplicationBuilder AddCirtGrpc(this WebApplicationBuilder builder)
    {
        // ASPNETCORE_URLS / --urls decide where to listen; without them, loopback only.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !HttpExtensions.HasGrpcEndpointsConfigured(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // gRPC needs HTTP/2; without TLS a client must speak it from the first byte (h2c).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = Limits.MaxMessageBytes;
            grpc.MaxSendMessageSize = Limits.MaxMessageBytes;
            grpc.Interceptors.Add<ErrorInterceptor>();
            grpc.Interceptors.Add<AuthorizationInterceptor>();
            // After authorisation (a retry is answered only to the key that made the call), before
            // the quota (a retry answered from the ledger stores nothing).
            grpc.Interceptors.Add<Cirt.Server.Idempotency.IdempotencyInterceptor>();
            grpc.Interceptors.Add<StreamLimitInterceptor>();
            grpc.Interceptors.Add<StorageQuotaInterceptor>();
        });
        // An imported STIX bundle becomes a draft the way AdvisoryService.CreateAdvisory makes one, so
        // StixService calls that service itself. (Cirt:Federation, which STIX export names, is bound by AddCirtFederation.)
        builder.Services.AddScoped<AdvisoryGrpcService>();
        builder.Services.AddGrpcReflection();
        // "" is readiness: NOT_SERVING while the silo does not answer or storage refuses writes (a
        // full disk). LivenessService only asks whether the silo answers: a restart cures neither a
        // full disk nor its absence, so a supervisor restarting on NOT_SERVING should watch that one.
        builder.Services.AddGrpcHealthChecks(health =>
            {
                health.Services.Map("", _ => true);
                health.Services.Map(LivenessService, check => !check.Tags.Contains(StorageHealthCheck.Tag));
            })
            .AddCheck<SiloHealthCheck>("silo")
            .AddCheck<StorageHealthCheck>("storage", tags: [StorageHealthCheck.Tag]);
        builder.Services.AddHostedService<SeedingService>();
        return builder;
    }

    public static WebApplication MapCirtGrpc(this WebApplication app)
    {
        app.MapGrpcService<ReportingGrpcService>();
        app.MapGrpcService<IncidentGrpcService>();
        app.MapGrpcService<StakeholderGrpcService>();
        app.MapGrpcService<SectorGrpcService>();
        app.MapGrpcService<KeyGrpcService>();
        app.MapGrpcService<IngestGrpcService>();
        app.MapGrpcService<FeedGrpcService>();
        app.MapGrpcService<PlaybookGrpcService>();
        app.MapGrpcService<AdvisoryGrpcService>();
        app.MapGrpcService<InboxGrpcService>();
        app.MapGrpcService<StixGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
