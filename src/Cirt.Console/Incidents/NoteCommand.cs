using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>
/// cirt incidents note: add a note to the timeline. A CIRT analyst's note is internal (CIRT staff
/// only) unless --shared; an operator's note is always shared with the CIRT and the organisations involved.
/// </summary>
public sealed class NoteCommand(IAnsiConsole console) : CirtCommand<NoteCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandArgument(1, "<TEXT>")]
        [Description("The note; quote it")]
        public string Text { get; init; } = "";

        [CommandOption("--shared")]
        [Description("CIRT staff: share the note with the organisations that see the incident (without it, it is internal: CIRT staff only). An operator's note is always shared")]
        public bool Shared { get; init; }
    }

    /// <summary>The request the command line asks for.</summary>
    public static AddNoteRequest Request(Settings s) => new()
    {
        TrackingId = s.TrackingId,
        Text = s.Text,
        Visibility = s.Shared ? TimelineVisibility.Shared : TimelineVisibility.Unspecified,
        ExpectedVersion = s.ExpectedVersion,
    };

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.AddNoteAsync(Request(s), cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
