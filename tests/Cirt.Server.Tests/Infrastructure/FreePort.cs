using System.Net;
using System.Net.Sockets;

namespace Cirt.Server.Tests;

/// <summary>Finds an unused TCP port on 127.0.0.1.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
