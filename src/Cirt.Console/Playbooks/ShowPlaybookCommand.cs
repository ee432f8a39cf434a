using System.ComponentModel;
using System.Globalization;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Playbooks;

/// <summary>cirt playbooks show: one RSIT class's playbook.</summary>
public sealed class ShowPlaybookCommand(IAnsiConsole console) : CirtCommand<ShowPlaybookCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<RSIT-CLASS>")]
        [Description("e.g. malicious-code")]
        public string RsitClass { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Playbooks.GetPlaybookAsync(new GetPlaybookRequest { RsitClass = s.RsitClass }, cancellationToken: cancellationToken);
        return Emit(s, response, () => Write(Console, response.Playbook));
    }

    public static void Write(IAnsiConsole console, Playbook playbook)
    {
        console.Write(Tables.Heading($"{Markup.Escape(playbook.RsitClass)} (version {playbook.Version}, {Markup.Escape(playbook.UpdatedBy)}, {Times.Of(playbook.UpdatedAt)})"));
        var table = Tables.Compact().AddColumn("#").AddColumn("Task").AddColumn("For").AddColumn(new TableColumn("Due after triage").RightAligned());
        for (var i = 0; i < playbook.Steps.Count; i++)
        {
            var step = playbook.Steps[i];
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(step.Title),
                step.Assignee == StepAssignee.Reporter ? "the reporter" : "the CIRT", $"{step.DueWithinHours} h");
        }

        console.Write(table);
    }
}
