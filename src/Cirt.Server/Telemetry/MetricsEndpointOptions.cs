namespace Cirt.Server.Telemetry;

/// <summary>The configuration section "Cirt:Metrics": the Prometheus scrape endpoint (/metrics).</summary>
public sealed class MetricsEndpointOptions
{
    public const string Section = "Cirt:Metrics";

    /// <summary>Where it listens when nothing else is configured: plain HTTP/1.1 on loopback, Prometheus' customary exporter port.</summary>
    public const string DefaultUrl = "http://127.0.0.1:9464";

    /// <summary>
    /// Where /metrics is served (http or https, one address; port 0 lets the system pick one); empty
    /// for no scrape endpoint. Plain http off loopback is refused like the other endpoints
    /// (Cirt:Security:AllowInsecureRemote). For https, the certificate is Kestrel's:
    /// Kestrel:Endpoints:CirtMetrics:Certificate, or Kestrel:Certificates:Default.
    /// </summary>
    public string Url { get; set; } = DefaultUrl;

    public IEnumerable<string> Problems()
    {
        if (!string.IsNullOrEmpty(Url) && !Http.ListenAddress.IsListenUrl(Url))
        {
            yield return $"{Section}:{nameof(Url)} must be an http or https URL with a host, a port and no path, e.g. {DefaultUrl} (got '{Url}').";
        }
    }
}
