using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents note: add a note to the timeline.</summary>
public sealed class NoteCommand(IAnsiConsole console) : CirtCommand<NoteCommand.Settings>(console)
{
    public sealed class Settings : IncidentSettings
    {
        [CommandArgument(1, "<TEXT>")]
        [Description("The note; quote it")]
        public string Text { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.AddNoteAsync(new AddNoteRequest { TrackingId = s.TrackingId, Text = s.Text }, cancellationToken: cancellationToken);
        return IncidentChanged.Report(Console, response.Incident);
    }
}
