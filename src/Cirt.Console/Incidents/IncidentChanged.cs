using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Incidents;

/// <summary>The one line a command prints after changing an incident (with --output json, the command writes its response instead).</summary>
public static class IncidentChanged
{
    public static void Report(IAnsiConsole console, Incident incident)
    {
        var last = incident.Timeline.LastOrDefault();
        var audience = last?.Visibility == TimelineVisibility.Internal ? " (internal: CIRT staff only)" : "";
        console.MarkupLineInterpolated(
            $"[bold]{incident.TrackingId}[/] is {Words.Of(incident.Status)} (version {incident.Version}): {last?.Summary ?? ""}{audience}");
    }
}
