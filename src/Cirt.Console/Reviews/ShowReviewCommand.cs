using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Reviews;

/// <summary>cirt review show: an incident's post-incident review.</summary>
public sealed class ShowReviewCommand(IAnsiConsole console) : CirtCommand<IncidentSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, IncidentSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.GetIncidentAsync(new GetIncidentRequest { TrackingId = s.TrackingId }, cancellationToken: cancellationToken);
        var incident = response.Incident;
        return Emit(s, response, () =>
        {
            if (incident.Review is null)
            {
                Console.MarkupLineInterpolated($"{incident.TrackingId} has no post-incident review yet (cirt review record {incident.TrackingId} --what-happened … --root-cause …).");
            }
            else
            {
                IncidentView.WriteReview(Console, incident);
            }
        });
    }
}
