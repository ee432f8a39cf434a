namespace Cirt.Server.Http;

/// <summary>Marks a connection accepted on the HTTP endpoint (a connection feature, visible to every request on it).</summary>
public sealed class HttpEndpointConnection
{
    public static readonly HttpEndpointConnection Instance = new();

    private HttpEndpointConnection()
    {
    }
}
