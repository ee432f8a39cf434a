using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cirt.Server.Telemetry;

/// <summary>
/// The Prometheus scrape endpoint (<see cref="MetricsEndpointOptions.Url"/>): HTTP/1.1 on a port of
/// its own, serving /metrics and nothing else; /metrics answers nowhere else.
/// </summary>
public sealed class MetricsEndpoint
{
    /// <summary>Its name among Kestrel's endpoints (Kestrel:Endpoints:CirtMetrics: e.g. its certificate).</summary>
    public const string KestrelName = "CirtMetrics";

    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    private readonly Http.ListenAddress _address;

    public MetricsEndpoint(MetricsEndpointOptions options)
    {
        _address = new(options.Url);
    }

    /// <summary>False when Cirt:Metrics:Url is empty: the server has no scrape endpoint.</summary>
    public bool Enabled => _address.Enabled;

    /// <summary>
    /// Where the endpoint listens once the server has started, e.g. "http://127.0.0.1:9464": the
    /// configured URL with the port the system picked when it was 0. Empty when disabled.
    /// </summary>
    public string Address => _address.Current;

    /// <summary>Whether <paramref name="context"/> came in on the metrics endpoint.</summary>
    public static bool Serves(HttpContext context) => context.Features.Get<MetricsEndpointConnection>() is not null;

    /// <summary>Called by Kestrel with the endpoint's listen options: marks its connections and remembers where it bound.</summary>
    internal void Attach(ListenOptions listen)
    {
        _address.Bound(listen);
        listen.Use(next => connection =>
        {
            connection.Features.Set(MetricsEndpointConnection.Instance);
            return next(connection);
        });
    }
}
