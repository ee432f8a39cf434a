using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Tasks;

/// <summary>cirt tasks list: tasks across incidents, soonest due first (operators: their organisation's).</summary>
public sealed class ListTasksCommand(IAnsiConsole console) : CirtCommand<ListTasksCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--stakeholder <ID>")]
        [Description("Only this stakeholder's tasks (operators always see their own organisation's)")]
        public string? Stakeholder { get; init; }

        [CommandOption("--analyst <NAME>")]
        [Description("Only this analyst's tasks")]
        public string? Analyst { get; init; }

        [CommandOption("--overdue")]
        [Description("Only open tasks past their due date")]
        public bool Overdue { get; init; }

        [CommandOption("--all")]
        [Description("Done and cancelled tasks too")]
        public bool All { get; init; }

        [CommandOption("--page-size <N>")]
        public int PageSize { get; init; } = 100;
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.ListTasksAsync(new ListTasksRequest
        {
            AssigneeStakeholderId = s.Stakeholder ?? "",
            AssigneeAnalyst = s.Analyst ?? "",
            OverdueOnly = s.Overdue,
            IncludeFinished = s.All,
            PageSize = s.PageSize,
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () => Write(s, response));
    }

    private void Write(Settings s, ListTasksResponse response)
    {
        if (response.Tasks.Count == 0)
        {
            Console.MarkupLine(s.Overdue ? "No task is overdue." : "No open tasks.");
            return;
        }

        var table = Tables.Create()
            .AddColumn("Incident").AddColumn("#").AddColumn("Task").AddColumn("For").AddColumn(new TableColumn("Due").NoWrap()).AddColumn("Status");
        foreach (var row in response.Tasks)
        {
            table.AddRow(
                Markup.Escape(row.Incident.TrackingId),
                row.Task.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(row.Task.Title),
                Markup.Escape(IncidentView.Assignee(row.Task)),
                Times.Of(row.Task.DueAt),
                IncidentView.Status(row.Task));
        }

        Console.Write(table);
        Console.MarkupLineInterpolated($"{IncidentView.Total(response.TotalSize, response.TotalIsLowerBound)} task(s){(response.TotalSize > response.Tasks.Count ? $", the first {response.Tasks.Count} shown" : "")}.");
    }
}
