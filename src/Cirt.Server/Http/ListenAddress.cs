using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cirt.Server.Http;

/// <summary>
/// Where one of our own HTTP/1.1 endpoints (the HTTP face, the metrics scrape) listens: its
/// configured URL and, once Kestrel bound it, the port the system picked when it was 0.
/// </summary>
public sealed class ListenAddress
{
    private readonly BindingAddress? _configured;
    private ListenOptions? _listen;

    /// <param name="url">The configured URL; empty for an endpoint turned off.</param>
    public ListenAddress(string url)
    {
        _configured = string.IsNullOrEmpty(url) ? null : BindingAddress.Parse(url);
    }

    /// <summary>False when the endpoint is turned off (its URL empty).</summary>
    public bool Enabled => _configured is not null;

    /// <summary>e.g. "http://127.0.0.1:5081"; empty when turned off.</summary>
    public string Current
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

    /// <summary>Remembers Kestrel's listen options, to learn the bound port.</summary>
    public void Bound(ListenOptions listen) => _listen = listen;

    /// <summary>Whether <paramref name="url"/> can be listened on: http or https, a host, a port, no path.</summary>
    public static bool IsListenUrl(string url)
    {
        try
        {
            var address = BindingAddress.Parse(url);
            return address.Scheme is "http" or "https" && !address.IsUnixPipe && !address.IsNamedPipe
                   && address.Host.Length > 0 && address.PathBase.Length == 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
