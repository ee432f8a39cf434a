using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>Commands that change one incident: its tracking id first, and the version the change is made over.</summary>
public class IncidentChangeSettings : IncidentSettings
{
    [CommandOption("--expected-version <N>")]
    [Description("Apply only if the incident is still at this version (safe concurrent editing; ABORTED otherwise)")]
    public long ExpectedVersion { get; init; }
}
