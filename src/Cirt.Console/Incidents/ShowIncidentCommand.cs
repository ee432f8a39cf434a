using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents show: one incident with its full timeline.</summary>
public sealed class ShowIncidentCommand(IAnsiConsole console) : CirtCommand<IncidentSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, IncidentSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.GetIncidentAsync(new GetIncidentRequest { TrackingId = s.TrackingId }, cancellationToken: cancellationToken);
        IncidentView.Render(Console, response.Incident);
        return 0;
    }
}
