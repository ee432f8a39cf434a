using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>
/// cirt partners suspend: stop all exchange with a partner (coordinators). What is queued for it
/// waits; what it delivers to us is refused.
/// </summary>
public sealed class SuspendPartnerCommand(IAnsiConsole console) : CirtCommand<SuspendPartnerCommand.Settings>(console)
{
    public sealed class Settings : PartnerSettings
    {
        [CommandOption("--reason <TEXT>")]
        [Description("Why (required)")]
        public string? Reason { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(s.Reason))
        {
            throw new UsageException("Give --reason: why exchange with the partner stops.");
        }

        var response = await client.Partners.SuspendPartnerAsync(new SuspendPartnerRequest { PartnerId = s.PartnerId, Reason = s.Reason }, cancellationToken: cancellationToken);
        var partner = response.Partner;
        return Emit(s, response, () =>
        {
            Console.MarkupLineInterpolated(
                $"Partner [bold]{partner.Id}[/] suspended: nothing is delivered to it ({partner.Delivery?.Queued ?? 0} message(s) wait in the outbox) and its deliveries to us are refused.");
            Console.MarkupLineInterpolated($"Resume with: cirt partners resume {partner.Id}");
        });
    }
}
