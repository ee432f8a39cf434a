using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Advisories;

/// <summary>cirt advisories received: advisories partner CIRTs shared with us, with their origin and route (CIRT staff).</summary>
public sealed class ReceivedAdvisoriesCommand(IAnsiConsole console) : CirtCommand<ConnectionSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, ConnectionSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Advisories.ListAdvisoriesAsync(new ListAdvisoriesRequest { ReceivedOnly = true }, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            if (response.Advisories.Count == 0)
            {
                Console.MarkupLine("No advisories received from partner CIRTs.");
                return;
            }

            Console.Write(AdvisoryView.Received(response.Advisories));
            Console.MarkupLine("Our stakeholders see none of these until our coordinators publish them to local targets.");
        });
    }
}
