using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Stakeholders;

/// <summary>cirt stakeholders verification-round: ask stakeholders to confirm their contacts (coordinators).</summary>
public sealed class VerificationRoundCommand(IAnsiConsole console) : CirtCommand<VerificationRoundCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--sector <CODE>")]
        [Description("Only this sector's stakeholders (default: all)")]
        public string? Sector { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Stakeholders.RequestContactVerificationAsync(
            new RequestContactVerificationRequest { SectorCode = s.Sector?.ToUpperInvariant() ?? "" }, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
            Console.MarkupLineInterpolated($"{response.StakeholderIds.Count} stakeholder(s) asked to confirm their contacts: {string.Join(", ", response.StakeholderIds)}"));
    }
}
