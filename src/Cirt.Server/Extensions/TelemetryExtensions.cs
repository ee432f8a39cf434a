using Cirt.Grains.Common;
using Cirt.Server.Incidents;
using Cirt.Server.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cirt.Server.Extensions;

public static class TelemetryExtensions
{
    /// <summary>What the console's timestamps look like unless Logging:Console:FormatterOptions:TimestampFormat says otherwise: ISO 8601, UTC.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    /// <summary>
    /// OpenTelemetry, configured by its standard variables: metrics (Orleans, ASP.NET Core, the .NET
    /// runtime and our "Cirt.*" meters) scraped on <see cref="MetricsEndpoint"/> and, like traces
    /// (ASP.NET Core and gRPC server spans, Orleans grain calls, our "Cirt.Server" and "Cirt.Grains"
    /// sources) and logs, exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; with neither,
    /// nothing is measured. <paramref name="telemetry"/> adds to it (tests add in-memory exporters);
    /// metrics and tracing are on when it is given.
    /// Call after <see cref="HttpExtensions.AddCirtHttp"/>, which settles the gRPC URLs.
    /// </summary>
    public static WebApplicationBuilder AddCirtTelemetry(this WebApplicationBuilder builder, Action<IOpenTelemetryBuilder>? telemetry = null)
    {
        builder.AddCirtConsoleLogging();
        var metricsEndpoint = builder.AddCirtMetricsEndpoint();
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, say it better.
                if (string.IsNullOrEmpty(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService("cirt-server");
                }
            });
        builder.Services.AddSingleton<IncidentMeter>();

        // Measurements cost on every call too: recorded only when something reads them (the scrape
        // endpoint, OTLP, a test's exporter). With neither, no meter has a listener and recording is free.
        if (metricsEndpoint.Enabled || otlp || telemetry is not null)
        {
            otel.WithMetrics(metrics =>
            {
                metrics.AddMeter("Cirt.*", "Microsoft.Orleans")
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation();
                if (metricsEndpoint.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        }

        // Spans cost on every call: recorded only when someone takes them.
        if (otlp || telemetry is not null)
        {
            otel.WithTracing(tracing => tracing
                .AddSource(CirtActivities.SourceName, GrainActivities.SourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !MetricsEndpoint.Serves(context)));
        }

        if (otlp)
        {
            otel.WithLogging(_ => { }, logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
            otel.UseOtlpExporter();
        }

        telemetry?.Invoke(otel);
        return builder;
    }

    /// <summary>
    /// Serves /metrics on the metrics endpoint, and nothing else there; elsewhere /metrics is not
    /// served. Before the HTTP endpoint's and gRPC's middleware, so that scrapes skip authentication:
    /// the endpoint is on loopback unless configured otherwise.
    /// </summary>
    public static WebApplication UseCirtTelemetry(this WebApplication app)
    {
        // Its gauge exists from the start, read when metrics are collected.
        app.Services.GetRequiredService<IncidentMeter>();
        if (!app.Services.GetRequiredService<MetricsEndpoint>().Enabled)
        {
            return app;
        }

        app.UseWhen(MetricsEndpoint.Serves, metrics =>
        {
            metrics.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == MetricsEndpoint.Path);
            metrics.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        return app;
    }

    /// <summary>
    /// Console lines carry a UTC timestamp by default (the simple formatter); Logging:Console:FormatterName=json
    /// writes one JSON object a line instead. Settings under Logging:Console:FormatterOptions win.
    /// </summary>
    private static void AddCirtConsoleLogging(this WebApplicationBuilder builder)
    {
        // Without a formatter name the console logger takes its (obsolete) own options, timestamps and all.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName ??= ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(simple =>
        {
            if (simple.TimestampFormat is null)
            {
                simple.TimestampFormat = TimestampFormat;
                simple.UseUtcTimestamp = true;
            }
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(json =>
        {
            if (json.TimestampFormat is null)
            {
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.UseUtcTimestamp = true;
            }
        });
    }

    /// <summary>The endpoint "CirtMetrics" beside the others, as <see cref="HttpExtensions.AddCirtHttp"/> adds its own.</summary>
    private static MetricsEndpoint AddCirtMetricsEndpoint(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MetricsEndpointOptions.Section).Get<MetricsEndpointOptions>() ?? new MetricsEndpointOptions();
        if (options.Problems().ToArray() is { Length: > 0 } problems)
        {
            throw new InvalidOperationException("Invalid metrics endpoint settings: " + string.Join(" ", problems));
        }

        var endpoint = new MetricsEndpoint(options);
        builder.Services.AddSingleton(endpoint);
        if (!endpoint.Enabled)
        {
            return endpoint;
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        HttpExtensions.CarryHostUrlsToKestrelEndpoints(builder.Configuration, settings);
        settings[$"Kestrel:Endpoints:{MetricsEndpoint.KestrelName}:Url"] = options.Url;
        settings[$"Kestrel:Endpoints:{MetricsEndpoint.KestrelName}:Protocols"] = "Http1";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ConfigurationLoader?.Endpoint(MetricsEndpoint.KestrelName, configured => endpoint.Attach(configured.ListenOptions)));
        return endpoint;
    }
}
