using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Sectors;

/// <summary>cirt sectors show: a sector's stakeholders and open incidents.</summary>
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
        var sector = response.Sector;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Code[/]", Markup.Escape(sector.Code));
        grid.AddRow("[bold]Name[/]", Markup.Escape(sector.Name));
        grid.AddRow("[bold]NIS2[/]", ListSectorsCommand.AnnexWord(sector.Annex));
        grid.AddRow("[bold]Subsectors[/]", Markup.Escape(string.Join(", ", sector.Subsectors)));
        grid.AddRow("[bold]Stakeholders[/]", Markup.Escape(string.Join(", ", sector.StakeholderIds)));
        grid.AddRow("[bold]Open incidents[/]", sector.OpenIncidentCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Console.Write(new Panel(grid).Header("Sector").Border(BoxBorder.Rounded));
        if (response.OpenIncidents.Count > 0)
        {
            Console.Write(IncidentView.Queue(response.OpenIncidents));
        }

        return 0;
    }
}
