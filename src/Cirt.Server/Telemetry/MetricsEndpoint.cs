using System.Globalization;
using System.Net;
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

    private readonly BindingAddress? _configured;
    private ListenOptions? _listen;

    public MetricsEndpoint(MetricsEndpointOptions options)
    {
        _configured = string.IsNullOrEmpty(options.Url) ? null : BindingAddress.Parse(options.Url);
    }

    /// <summary>False when Cirt:Metrics:Url is empty: the server has no scrape endpoint.</summary>
    public bool Enabled => _configured is not null;

    /// <summary>
    /// Where the endpoint listens once the server has started, e.g. "http://127.0.0.1:9464": the
    /// configured URL with the port the system picked when it was 0. Empty when disabled.
    /// </summary>
    public string Address
    {
        get
        {
            if (_configured is null)
            {
                return "";
            }

            var port = _configured.Port == 0 && _listen?.EndPoint is IPEndPoint bound ? bound.Port : _configured.Port;
            return string.Create(CultureInfo.InvariantCulture, $"{_configured.Scheme}://{_configured.Host}:{port}");
        }
    }

    /// <summary>Whether <paramref name="context"/> came in on the metrics endpoint.</summary>
    public static bool Serves(HttpContext context) => context.Features.Get<MetricsEndpointConnection>() is not null;

    /// <summary>Called by Kestrel with the endpoint's listen options: marks its connections and remembers where it bound.</summary>
    internal void Attach(ListenOptions listen)
    {
        _listen = listen;
        listen.Use(next => connection =>
        {
            connection.Features.Set(MetricsEndpointConnection.Instance);
            return next(connection);
        });
    }
}
