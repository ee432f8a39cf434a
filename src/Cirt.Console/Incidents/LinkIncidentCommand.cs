using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>
/// cirt incidents link: link a foreign incident (one a partner CIRT shared) to one of ours, or the
/// reverse (CIRT staff); both timelines record it.
/// </summary>
public sealed class LinkIncidentCommand(IAnsiConsole console) : CirtCommand<LinkIncidentCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandArgument(1, "<OTHER-TRACKING-ID>")]
        [Description("The incident to link it to")]
        public string OtherTrackingId { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.LinkIncidentAsync(
            new LinkIncidentRequest { TrackingId = s.TrackingId, LinkedTrackingId = s.OtherTrackingId, ExpectedVersion = s.ExpectedVersion }, cancellationToken: cancellationToken);
        var incident = response.Incident;
        return Emit(s, response, () =>
            Console.MarkupLineInterpolated($"[bold]{incident.TrackingId}[/] is linked to {string.Join(", ", incident.LinkedTrackingIds)}."));
    }
}
