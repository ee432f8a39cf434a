using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Tasks;

/// <summary>cirt tasks update: move a task to another status (open, in-progress, done, cancelled).</summary>
public sealed class UpdateTaskCommand(IAnsiConsole console) : CirtCommand<UpdateTaskCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandArgument(1, "<NUMBER>")]
        [Description("The task's number within the incident")]
        public int Number { get; init; }

        [CommandArgument(2, "<STATUS>")]
        [Description("open, in-progress, done or cancelled")]
        public string Status { get; init; } = "";

        [CommandOption("--note <TEXT>")]
        [Description("Recorded in the timeline")]
        public string Note { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.UpdateTaskAsync(new UpdateTaskRequest
        {
            TrackingId = s.TrackingId,
            ExpectedVersion = s.ExpectedVersion,
            TaskNumber = s.Number,
            Status = Words.TaskStatus(s.Status),
            Note = s.Note,
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
