using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Partners;

/// <summary>cirt partners resume: exchange with a suspended partner runs again; what waited is delivered in order (coordinators).</summary>
public sealed class ResumePartnerCommand(IAnsiConsole console) : CirtCommand<PartnerSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, PartnerSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Partners.ResumePartnerAsync(new ResumePartnerRequest { PartnerId = s.PartnerId }, cancellationToken: cancellationToken);
        var partner = response.Partner;
        return Emit(s, response, () =>
            Console.MarkupLineInterpolated($"Partner [bold]{partner.Id}[/] is active again; {partner.Delivery?.Queued ?? 0} queued message(s) go out in order."));
    }
}
