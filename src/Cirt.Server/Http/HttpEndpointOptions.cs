namespace Cirt.Server.Http;

/// <summary>The configuration section "Cirt:Http": the product's one HTTP/1.1 endpoint (TAXII 2.1 under /taxii2/).</summary>
public sealed class HttpEndpointOptions
{
    public const string Section = "Cirt:Http";

    /// <summary>Where it listens when nothing else is configured: plain HTTP/1.1 on loopback, beside gRPC's 5080.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5081";

    /// <summary>
    /// Where the endpoint listens (http or https, one address; port 0 lets the system pick one); empty
    /// for no HTTP endpoint at all. Plain http off loopback is refused like gRPC's
    /// (Cirt:Security:AllowInsecureRemote). For https, the certificate is Kestrel's:
    /// Kestrel:Endpoints:CirtHttp:Certificate, or Kestrel:Certificates:Default.
    /// </summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>The URL partners reach the endpoint at (behind a proxy or NAT); what a request came to when empty.</summary>
    public string PublicUrl { get; set; } = "";

    public IEnumerable<string> Problems()
    {
        if (!string.IsNullOrEmpty(Url) && !ListenAddress.IsListenUrl(Url))
        {
            yield return $"{Section}:{nameof(Url)} must be an http or https URL with a host, a port and no path, e.g. {DefaultUrl} (got '{Url}').";
        }

        if (!string.IsNullOrEmpty(PublicUrl) && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var @public) && @public.Scheme is "http" or "https"))
        {
            yield return $"{Section}:{nameof(PublicUrl)} must be an absolute http or https URL (got '{PublicUrl}').";
        }
    }
}
