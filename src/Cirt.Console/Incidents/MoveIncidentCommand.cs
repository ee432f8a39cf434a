using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents move: move an incident along its lifecycle.</summary>
public sealed class MoveIncidentCommand(IAnsiConsole console) : CirtCommand<MoveIncidentCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandArgument(1, "<STATUS>")]
        [Description("responding, recovering, resolved, closed, or reported (to reopen a rejected or duplicate report)")]
        public string Status { get; init; } = "";

        [CommandOption("--reason <TEXT>")]
        public string? Reason { get; init; }

        [CommandOption("--override-restoration")]
        [Description("Coordinators: resolve although some affected stakeholders are not restored (needs --reason)")]
        public bool OverrideRestoration { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.TransitionIncidentAsync(new TransitionIncidentRequest
        {
            TrackingId = s.TrackingId,
            TargetStatus = Words.Status(s.Status),
            Reason = s.Reason ?? "",
            ExpectedVersion = s.ExpectedVersion,
            OverrideRestoration = s.OverrideRestoration,
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
