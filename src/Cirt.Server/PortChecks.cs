using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cirt.Server.Extensions;
using Cirt.Server.Http;
using Cirt.Server.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Cirt.Server;

/// <summary>
/// Whether the ports the server is about to listen on are free, tried before anything is created:
/// a port another program holds is one line naming the setting, not a stack trace after the
/// databases exist. A port taken in the instant between this check and the real bind still ends
/// the start with one line (Program), only later.
/// </summary>
public static class PortChecks
{
    /// <summary>One sentence per address already in use, naming the setting that chose it; empty when all are free.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var configuredUrls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var wanted = (configuredUrls.Length > 0 ? configuredUrls : HttpExtensions.HasGrpcEndpointsConfigured(configuration) ? [] : [GrpcExtensions.DefaultUrl])
            .Select(url => (Setting: "urls (--urls, ASPNETCORE_URLS)", Url: url))
            .Append((Setting: HttpEndpointOptions.Section + ":Url", Url: configuration[HttpEndpointOptions.Section + ":Url"] ?? HttpEndpointOptions.DefaultUrl))
            .Append((Setting: MetricsEndpointOptions.Section + ":Url", Url: configuration[MetricsEndpointOptions.Section + ":Url"] ?? MetricsEndpointOptions.DefaultUrl));

        var problems = new List<string>();
        foreach (var (setting, url) in wanted)
        {
            if (Endpoint(url) is { } endpoint && !IsFree(endpoint))
            {
                problems.Add($"{setting}: {url} is already in use by another program. Stop it, or choose another address.");
            }
        }

        // Both Orleans ports are on loopback (localhost clustering, the only clustering there is).
        var cirt = configuration.GetSection(CirtOptions.Section).Get<CirtOptions>() ?? new CirtOptions();
        foreach (var (name, port) in new[] { (nameof(CirtOptions.SiloPort), cirt.SiloPort), (nameof(CirtOptions.GatewayPort), cirt.GatewayPort) })
        {
            if (port is > 0 and <= 65535 && !IsFree(new IPEndPoint(IPAddress.Loopback, port)))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{CirtOptions.Section}:{name}: port {port} on 127.0.0.1 is already in use (another Cirt server on this machine?). Stop it, or choose another port."));
            }
        }

        return problems;
    }

    /// <summary>The address a listen URL binds, when it names one with a fixed port; null for port 0, host names and anything unparsable.</summary>
    private static IPEndPoint? Endpoint(string url)
    {
        if (string.IsNullOrEmpty(url) || !ListenAddress.IsListenUrl(url))
        {
            return null;
        }

        var address = BindingAddress.Parse(url);
        if (address.Port == 0)
        {
            return null;
        }

        var host = address.Host.Trim('[', ']');
        IPAddress? ip = host switch
        {
            "*" or "+" => IPAddress.Any,
            _ when host.Equals("localhost", StringComparison.OrdinalIgnoreCase) => IPAddress.Loopback,
            _ => IPAddress.TryParse(host, out var parsed) ? parsed : null,
        };
        return ip is null ? null : new IPEndPoint(ip, address.Port);
    }

    private static bool IsFree(IPEndPoint endpoint)
    {
        using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(endpoint);
            probe.Listen();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse)
        {
            return false;
        }
        catch (SocketException)
        {
            // Not ours to judge here (e.g. an address this machine does not have): Kestrel says so when it binds.
            return true;
        }
    }
}
