using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Partners;

/// <summary>cirt partners list: every partner CIRT with its status and how deliveries to it stand.</summary>
public sealed class ListPartnersCommand(IAnsiConsole console) : CirtCommand<ConnectionSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, ConnectionSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Partners.ListPartnersAsync(new ListPartnersRequest(), cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            if (response.Partners.Count == 0)
            {
                Console.MarkupLine("No partner CIRTs yet; register one with [bold]cirt partners register[/].");
            }
            else
            {
                Console.Write(PartnerView.List(response.Partners));
            }
        });
    }
}
