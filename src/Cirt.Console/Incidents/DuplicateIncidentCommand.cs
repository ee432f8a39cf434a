using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents duplicate: triage a report as a duplicate of a known incident.</summary>
public sealed class DuplicateIncidentCommand(IAnsiConsole console) : CirtCommand<DuplicateIncidentCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandOption("--of <TRACKING-ID>")]
        [Description("The original incident (required)")]
        public string Of { get; init; } = "";

        [CommandOption("--reason <TEXT>")]
        public string? Reason { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = s.TrackingId,
            Outcome = TriageOutcome.Duplicate,
            DuplicateOf = s.Of,
            Reason = s.Reason ?? "",
            ExpectedVersion = s.ExpectedVersion,
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
