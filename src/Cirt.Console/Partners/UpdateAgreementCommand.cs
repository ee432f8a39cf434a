using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>
/// cirt partners agreement: replace a partner's agreement (coordinators), given whole with the
/// options of "partners register". It applies to what is queued from then on.
/// </summary>
public sealed class UpdateAgreementCommand(IAnsiConsole console) : CirtCommand<UpdateAgreementCommand.Settings>(console)
{
    public sealed class Settings : AgreementSettings
    {
        [CommandOption("--expected-version <N>")]
        [Description("Apply only if the partner is still at this version (cirt partners show prints it)")]
        public long ExpectedVersion { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = new UpdateAgreementRequest { PartnerId = s.PartnerId, Agreement = s.Agreement(), ExpectedVersion = s.ExpectedVersion };
        var response = await client.Partners.UpdateAgreementAsync(request, cancellationToken: cancellationToken);
        var partner = response.Partner;
        return Emit(s, response, () =>
        {
            Console.MarkupLineInterpolated($"Agreement with [bold]{partner.Id}[/] replaced (version {partner.Version}); it applies to what is queued from now on:");
            Console.Write(PartnerView.Agreement(partner.Agreement));
        });
    }
}
