namespace Cirt.Server.Tests.Telemetry;

/// <summary>
/// The telemetry tests run alone, after the others: metrics are counted by meter name, and while
/// other servers of the same test process count under the same names, a count read from one
/// server's exporter is not that server's alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
