namespace Cirt.Server.Telemetry;

/// <summary>Marks a connection accepted on the metrics endpoint (a connection feature, visible to every request on it).</summary>
public sealed class MetricsEndpointConnection
{
    public static readonly MetricsEndpointConnection Instance = new();

    private MetricsEndpointConnection()
    {
    }
}
