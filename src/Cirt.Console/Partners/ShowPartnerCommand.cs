using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Partners;

/// <summary>cirt partners show: a partner's agreement, keys, status and deliveries.</summary>
public sealed class ShowPartnerCommand(IAnsiConsole console) : CirtCommand<PartnerSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, PartnerSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Partners.GetPartnerAsync(new GetPartnerRequest { PartnerId = s.PartnerId }, cancellationToken: cancellationToken);
        return Emit(s, response, () => PartnerView.Show(Console, response.Partner));
    }
}
