using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cirt.Server.Http;

/// <summary>
/// The product's one HTTP/1.1 endpoint (<see cref="HttpEndpointOptions.Url"/>), beside the gRPC
/// endpoints, which stay HTTP/2 only (h2c cannot share a port with HTTP/1.1). Routes mapped for it
/// (<see cref="Extensions.HttpExtensions.ServedOnHttpEndpoint{TBuilder}"/>: TAXII today, the console's
/// HTTP/JSON face later) answer there only, and nothing else answers there.
/// </summary>
public sealed class HttpEndpoint
{
    /// <summary>Its name among Kestrel's endpoints (Kestrel:Endpoints:CirtHttp: e.g. its certificate).</summary>
    public const string KestrelName = "CirtHttp";

    private readonly ListenAddress _address;

    public HttpEndpoint(HttpEndpointOptions options)
    {
        _address = new(options.Url);
        PublicUrl = options.PublicUrl.TrimEnd('/');
    }

    /// <summary>False when Cirt:Http:Url is empty: the server has no HTTP endpoint.</summary>
    public bool Enabled => _address.Enabled;

    /// <summary>Cirt:Http:PublicUrl without a trailing slash; empty when not configured.</summary>
    public string PublicUrl { get; }

    /// <summary>
    /// Where the endpoint listens once the server has started, e.g. "http://127.0.0.1:5081": the
    /// configured URL with the port the system picked when it was 0. Empty when disabled.
    /// </summary>
    public string Address => _address.Current;

    /// <summary>Where partners are told to reach the endpoint: <see cref="PublicUrl"/>, or else <see cref="Address"/>; empty when disabled.</summary>
    public string AdvertisedUrl => PublicUrl.Length > 0 ? PublicUrl : Address;

    /// <summary>Where partners reach the endpoint: <see cref="PublicUrl"/>, or else the address <paramref name="request"/> came to.</summary>
    public string BaseUrlFor(HttpRequest request) => PublicUrl.Length > 0 ? PublicUrl : $"{request.Scheme}://{request.Host}";

    /// <summary>Whether <paramref name="context"/> came in on the HTTP endpoint (rather than a gRPC one).</summary>
    public static bool Serves(HttpContext context) => context.Features.Get<HttpEndpointConnection>() is not null;

    /// <summary>Called by Kestrel with the endpoint's listen options: marks its connections and remembers where it bound.</summary>
    internal void Attach(ListenOptions listen)
    {
        _address.Bound(listen);
        listen.Use(next => connection =>
        {
            connection.Features.Set(HttpEndpointConnection.Instance);
            return next(connection);
        });
    }
}
