using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>Commands that act on one incident take its tracking id first.</summary>
public class IncidentSettings : ConnectionSettings
{
    [CommandArgument(0, "<TRACKING-ID>")]
    [Description("e.g. CIRT-2026-000042")]
    public string TrackingId { get; init; } = "";
}
