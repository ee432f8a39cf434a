using System.Diagnostics;

namespace Cirt.Server.Telemetry;

/// <summary>
/// The server's own spans (activity source "Cirt.Server"): the ingest group commit, aggregation
/// passes and deliveries to partner CIRTs, beside the spans of ASP.NET Core, gRPC and Orleans.
/// </summary>
public static class CirtActivities
{
    public const string SourceName = "Cirt.Server";

    public static readonly ActivitySource Source = new(SourceName);
}
