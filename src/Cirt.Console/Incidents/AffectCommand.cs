using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents affect: add stakeholders affected by an incident (they are notified as TLP allows).</summary>
public sealed class AffectCommand(IAnsiConsole console) : CirtCommand<AffectCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandArgument(1, "<STAKEHOLDER>")]
        [Description("Affected stakeholder ids (one or more)")]
        public string[] Stakeholders { get; init; } = [];
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = new AddAffectedStakeholdersRequest { TrackingId = s.TrackingId, ExpectedVersion = s.ExpectedVersion };
        request.StakeholderIds.AddRange(s.Stakeholders);
        var response = await client.Incidents.AddAffectedStakeholdersAsync(request, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
