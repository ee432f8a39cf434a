using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents reject: triage a report as not an incident.</summary>
public sealed class RejectIncidentCommand(IAnsiConsole console) : CirtCommand<RejectIncidentCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandOption("--reason <TEXT>")]
        [Description("Why it is rejected (required)")]
        public string Reason { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = s.TrackingId,
            Outcome = TriageOutcome.Reject,
            Reason = s.Reason,
            ExpectedVersion = s.ExpectedVersion,
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
