using Cirt.Server.Http;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Hosting;

namespace Cirt.Server.Extensions;

public static class HttpExtensions
{
    /// <summary>
    /// The HTTP/1.1 endpoint (<see cref="HttpEndpoint"/>) beside the gRPC ones. Kestrel binds either
    /// the host's URLs (--urls, ASPNETCORE_URLS) or its configured endpoints, never both; so the gRPC
    /// URLs are carried over as configured endpoints (Kestrel parses them as it would have) and this
    /// one is added as the endpoint "CirtHttp", HTTP/1.1 (and HTTP/2 over TLS, where ALPN tells them apart).
    /// Call after <see cref="GrpcExtensions.AddCirtGrpc"/>, which settles the gRPC URLs.
    /// </summary>
    public static WebApplicationBuilder AddCirtHttp(this WebApplicationBuilder builder)
    {
        // Checked by StartupChecks before anything is built.
        var options = builder.Configuration.GetSection(HttpEndpointOptions.Section).Get<HttpEndpointOptions>() ?? new HttpEndpointOptions();

        var endpoint = new HttpEndpoint(options);
        builder.Services.AddSingleton(endpoint);
        if (!endpoint.Enabled)
        {
            return builder;
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        CarryHostUrlsToKestrelEndpoints(builder.Configuration, settings);

        var https = options.Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        settings[$"Kestrel:Endpoints:{HttpEndpoint.KestrelName}:Url"] = options.Url;
        settings[$"Kestrel:Endpoints:{HttpEndpoint.KestrelName}:Protocols"] = https ? "Http1AndHttp2" : "Http1";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ConfigurationLoader?.Endpoint(HttpEndpoint.KestrelName, configured => endpoint.Attach(configured.ListenOptions)));
        return builder;
    }

    /// <summary>Whether Kestrel:Endpoints names endpoints of its own for gRPC (any but this one's or the metrics endpoint's, whose certificates may be set there).</summary>
    public static bool HasGrpcEndpointsConfigured(IConfiguration configuration) =>
        configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(e => !e.Key.Equals(HttpEndpoint.KestrelName, StringComparison.OrdinalIgnoreCase)
                                                                            && !e.Key.Equals(Telemetry.MetricsEndpoint.KestrelName, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Puts the host's gRPC URLs (--urls) into <paramref name="settings"/> as Kestrel endpoints, once:
    /// an endpoint of our own beside them (this one, the metrics endpoint) makes Kestrel bind only configured endpoints.
    /// </summary>
    internal static void CarryHostUrlsToKestrelEndpoints(IConfiguration configuration, Dictionary<string, string?> settings)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (HasGrpcEndpointsConfigured(configuration) || string.IsNullOrEmpty(urls))
        {
            return;
        }

        var index = 0;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            settings[$"Kestrel:Endpoints:Grpc{index++}:Url"] = url;
        }

        // Otherwise the host would offer its URLs (or ports) again, and Kestrel warn that it ignores them.
        settings[WebHostDefaults.ServerUrlsKey] = "";
        settings[WebHostDefaults.HttpPortsKey] = "";
        settings[WebHostDefaults.HttpsPortsKey] = "";
    }

    /// <summary>
    /// Keeps the faces apart: on the HTTP endpoint only routes marked with
    /// <see cref="ServedOnHttpEndpoint{TBuilder}"/> and the gRPC methods' JSON transcoding routes
    /// (<see cref="HttpJsonExtensions.AddCirtHttpJson"/>) answer, and they answer nowhere else (404).
    /// Before authentication, so that neither side spends a key check on the other's requests.
    /// </summary>
    public static WebApplication UseCirtHttp(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var metadata = context.GetEndpoint()?.Metadata;
            var forHttpEndpoint = metadata?.GetMetadata<HttpFaceMetadata>() is not null
                                  || metadata?.GetMetadata<GrpcJsonTranscodingMetadata>() is not null;
            if (forHttpEndpoint != HttpEndpoint.Serves(context))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }

    /// <summary>Serves these routes on the HTTP endpoint, and only there.</summary>
    public static TBuilder ServedOnHttpEndpoint<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(HttpFaceMetadata.Instance);
}
