using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Sectors;

/// <summary>
/// cirt sectors show: a sector's breakdown. At a terminal its alert level, its open incidents by
/// severity and by status as charts, overdue deadlines and the open incidents; piped, plain lines;
/// with --output json, the GetSectorResponse.
/// </summary>
public sealed class ShowSectorCommand(IAnsiConsole console) : CirtCommand<ShowSectorCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<CODE>")]
        [Description("Sector code, e.g. ENERGY")]
        public string Code { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Sectors.GetSectorAsync(new GetSectorRequest { Code = s.Code.ToUpperInvariant() }, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            if (Pictures.For(Console))
            {
                Draw(response);
            }
            else
            {
                WritePlain(response);
            }
        });
    }

    private void Draw(GetSectorResponse response)
    {
        var sector = response.Sector;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Code[/]", Markup.Escape(sector.Code));
        grid.AddRow("[bold]Name[/]", Markup.Escape(sector.Name));
        grid.AddRow("[bold]NIS2[/]", ListSectorsCommand.AnnexWord(sector.Annex));
        grid.AddRow("[bold]Subsectors[/]", Markup.Escape(string.Join(", ", sector.Subsectors)));
        grid.AddRow("[bold]Stakeholders[/]", Markup.Escape(string.Join(", ", sector.StakeholderIds)));
        grid.AddRow("[bold]Alert level[/]", $"{Level(response.AlertLevel)} ({Markup.Escape(response.AlertBasis)})");
        grid.AddRow("[bold]Open incidents[/]", $"{N(sector.OpenIncidentCount)}"
            + (sector.OpenIncidentCount > 0
                ? $": {string.Join(", ", response.OpenByStatus.Where(c => c.Count > 0).Select(c => $"{N(c.Count)} {Words.Of(c.Status)}"))}; "
                  + string.Join(", ", response.OpenBySeverity.Where(c => c.Count > 0).Select(c => $"{N(c.Count)} {(c.Severity == Severity.Unspecified ? "unassessed" : Words.Of(c.Severity))}"))
                : "")
            + (response.OpenExerciseCount > 0 ? $" (plus {N(response.OpenExerciseCount)} exercise(s))" : ""));
        grid.AddRow("[bold]Overdue[/]", $"{AtLeast(response.OverdueDeadlineCountIsLowerBound)}{N(response.OverdueDeadlineCount)} deadline(s), {AtLeast(response.OverdueTaskCountIsLowerBound)}{N(response.OverdueTaskCount)} task(s)");
        grid.AddRow("[bold]Stale contacts[/]", response.StakeholdersWithStaleContacts.Count == 0
            ? "none"
            : $"[red]{Markup.Escape(string.Join(", ", response.StakeholdersWithStaleContacts))}[/]");
        Console.Write(new Panel(grid).Header("Sector").Border(BoxBorder.Rounded));
        DrawCharts(response);
        if (response.OverdueDeadlines.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumn("Incident").AddColumn("Stakeholder").AddColumn("Stage").AddColumn(new TableColumn("Due").NoWrap()).AddColumn(new TableColumn("Escalated").NoWrap());
            foreach (var row in response.OverdueDeadlines)
            {
                table.AddRow(Markup.Escape(row.Incident.TrackingId), Markup.Escape(row.Incident.ReporterStakeholderId), IncidentView.Stage(row.Deadline),
                    Times.Of(row.Deadline.DueAt), Times.Of(row.Deadline.EscalatedAt));
            }

            Console.Write(new Rule("Overdue deadlines").LeftJustified());
            Console.Write(table);
        }

        if (response.OpenIncidents.Count > 0)
        {
            Console.Write(IncidentView.Queue(response.OpenIncidents));
        }

    }

    /// <summary>Open incidents by severity as one breakdown bar, and by status as bars.</summary>
    private void DrawCharts(GetSectorResponse response)
    {
        var bySeverity = response.OpenBySeverity.Where(c => c.Count > 0).OrderBy(c => Array.IndexOf(SectorBars.Order, c.Severity)).ToArray();
        if (bySeverity.Length == 0)
        {
            return;
        }

        Console.Write(new Rule("Open incidents by severity").LeftJustified());
        var breakdown = new BreakdownChart().Width(Math.Min(72, Console.Profile.Width)).ShowTagValues();
        foreach (var count in bySeverity)
        {
            breakdown.AddItem(Pictures.Word(count.Severity), count.Count, Pictures.Of(count.Severity));
        }

        Console.Write(breakdown);
        Console.Write(new Rule("Open incidents by status").LeftJustified());
        var bars = new BarChart().Width(Math.Min(72, Console.Profile.Width));
        foreach (var count in response.OpenByStatus)
        {
            bars.AddItem(Words.Of(count.Status), count.Count, count.Status == IncidentStatus.Reported ? Color.Grey : Color.SteelBlue);
        }

        Console.Write(bars);
    }

    private void WritePlain(GetSectorResponse response)
    {
        var sector = response.Sector;
        var writer = Console.Profile.Out.Writer;
        writer.WriteLine($"code: {sector.Code}");
        writer.WriteLine($"name: {sector.Name}");
        writer.WriteLine($"nis2: {ListSectorsCommand.AnnexWord(sector.Annex)}");
        writer.WriteLine($"stakeholders: {string.Join(", ", sector.StakeholderIds)}");
        writer.WriteLine($"alert level: {SectorBars.LevelWord(response.AlertLevel)} ({response.AlertBasis})");
        writer.WriteLine($"open incidents: {N(sector.OpenIncidentCount)}");
        writer.WriteLine($"open by severity: {SectorBars.Counts(response.OpenBySeverity)}");
        writer.WriteLine($"open by status: {string.Join(", ", response.OpenByStatus.Where(c => c.Count > 0).Select(c => $"{N(c.Count)} {Words.Of(c.Status)}").DefaultIfEmpty("none"))}");
        writer.WriteLine($"open exercises: {N(response.OpenExerciseCount)}");
        writer.WriteLine($"overdue: {AtLeast(response.OverdueDeadlineCountIsLowerBound)}{N(response.OverdueDeadlineCount)} deadline(s), {AtLeast(response.OverdueTaskCountIsLowerBound)}{N(response.OverdueTaskCount)} task(s)");
        writer.WriteLine($"stale contacts: {(response.StakeholdersWithStaleContacts.Count == 0 ? "none" : string.Join(", ", response.StakeholdersWithStaleContacts))}");
        foreach (var row in response.OverdueDeadlines)
        {
            writer.WriteLine(string.Join('\t', "overdue", row.Incident.TrackingId, row.Incident.ReporterStakeholderId, Words.Of(row.Deadline.Kind), Times.Of(row.Deadline.DueAt)));
        }

        foreach (var incident in response.OpenIncidents)
        {
            writer.WriteLine(string.Join('\t', "open", incident.TrackingId, Pictures.Word(incident.Severity), Words.Of(incident.Status), incident.Title));
        }

        writer.Flush();
    }

    /// <summary>An alert level as markup: the higher, the louder.</summary>
    public static string Level(int level) => level switch
    {
        >= 5 => "[bold white on red] 5 critical [/]",
        4 => "[bold red]4 high[/]",
        3 => "[bold yellow]3 elevated[/]",
        2 => "[blue]2 guarded[/]",
        _ => "[green]1 normal[/]",
    };

    private static string AtLeast(bool isLowerBound) => isLowerBound ? "at least " : "";

    private static string N(int value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
