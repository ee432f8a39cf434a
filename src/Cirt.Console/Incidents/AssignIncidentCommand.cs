using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents assign: name the analyst in charge.</summary>
public sealed class AssignIncidentCommand(IAnsiConsole console) : CirtCommand<AssignIncidentCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandArgument(1, "[USER]")]
        [Description("The analyst's user name; omit with --unassign")]
        public string? Assignee { get; init; }

        [CommandOption("--unassign")]
        public bool Unassign { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        if (s.Unassign == (s.Assignee is not null))
        {
            throw new UsageException("Give either a user name or --unassign.");
        }

        var response = await client.Incidents.AssignIncidentAsync(new AssignIncidentRequest
        {
            TrackingId = s.TrackingId,
            Assignee = s.Assignee ?? "",
            ExpectedVersion = s.ExpectedVersion,
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
