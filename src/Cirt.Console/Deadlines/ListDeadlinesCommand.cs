using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Deadlines;

/// <summary>cirt deadlines: what is due or overdue across the country, soonest first.</summary>
public sealed class ListDeadlinesCommand(IAnsiConsole console) : CirtCommand<ListDeadlinesCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--overdue")]
        [Description("Only deadlines past due and not met")]
        public bool Overdue { get; init; }

        [CommandOption("--all")]
        [Description("Met deadlines too")]
        public bool All { get; init; }

        [CommandOption("--page-size <N>")]
        public int PageSize { get; init; } = 100;
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        if (s.Overdue && s.All)
        {
            throw new UsageException("--overdue and --all exclude each other.");
        }

        var view = s.Overdue ? DeadlineView.Overdue : s.All ? DeadlineView.All : DeadlineView.Open;
        var response = await client.Incidents.ListDeadlinesAsync(new ListDeadlinesRequest { View = view, PageSize = s.PageSize }, cancellationToken: cancellationToken);
        return Emit(s, response, () => Write(response, view));
    }

    private void Write(ListDeadlinesResponse response, DeadlineView view)
    {
        if (response.Deadlines.Count == 0)
        {
            Console.MarkupLine(view == DeadlineView.Overdue ? "Nothing is overdue." : "No deadlines are running.");
            return;
        }

        var table = Tables.Create()
            .AddColumn("Incident").AddColumn("Stakeholder").AddColumn("Stage").AddColumn(new TableColumn("Due").NoWrap())
            .AddColumn("Status").AddColumn(new TableColumn("Escalated").NoWrap()).AddColumn("Title")
            .Optional("Escalated", "Stakeholder");
        foreach (var row in response.Deadlines)
        {
            table.AddRow(
                Markup.Escape(row.Incident.TrackingId),
                Markup.Escape(row.Incident.ReporterStakeholderId),
                IncidentView.Stage(row.Deadline),
                Times.Of(row.Deadline.DueAt),
                IncidentView.Status(row.Deadline.Status),
                Times.Of(row.Deadline.EscalatedAt),
                Markup.Escape(row.Incident.Title));
        }

        Console.Write(table);
        var overdue = response.Deadlines.Count(d => d.Deadline.Status == DeadlineStatus.Overdue);
        Console.MarkupLineInterpolated($"{IncidentView.Total(response.TotalSize, response.TotalIsLowerBound)} deadline(s){(response.TotalSize > response.Deadlines.Count ? $", the first {response.Deadlines.Count} shown" : "")}; {overdue} overdue on this page.");
    }
}
