using System.Globalization;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Sectors;

/// <summary>
/// cirt sectors list: the country at a glance. At a terminal, each sector with its alert level and
/// its open incidents by severity as a bar; piped, one plain line per sector; with --output json,
/// the ListSectorsResponse (its glances carry the levels and counts).
/// </summary>
public sealed class ListSectorsCommand(IAnsiConsole console) : CirtCommand<ConnectionSettings>(console)
{
    private const int BarRoom = 24;

    protected override async Task<int> RunAsync(CirtClient client, ConnectionSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Sectors.ListSectorsAsync(new ListSectorsRequest(), cancellationToken: cancellationToken);
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

    private void Draw(ListSectorsResponse response)
    {
        var glances = response.Glances.ToDictionary(g => g.Code, StringComparer.Ordinal);
        var most = response.Glances.Select(g => g.OpenBySeverity.Sum(c => c.Count)).DefaultIfEmpty(0).Max();
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("Sector").Width(32)).AddColumn(new TableColumn("Alert").NoWrap())
            .AddColumn(new TableColumn("Open").NoWrap().RightAligned()).AddColumn(new TableColumn("By severity").NoWrap());
        foreach (var sector in response.Sectors)
        {
            var glance = glances.GetValueOrDefault(sector.Code);
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(sector.Code)}[/]\n[grey]{Markup.Escape(sector.Name)}[/]"),
                new Markup(glance is null ? "-" : ShowSectorCommand.Level(glance.AlertLevel)),
                new Markup(N(sector.OpenIncidentCount)),
                new Markup(glance is null ? "" : SectorBars.Bar(glance.OpenBySeverity, most, BarRoom) + "\n[grey]" + Markup.Escape(SectorBars.Counts(glance.OpenBySeverity)) + "[/]"));
        }

        Console.Write(table);
        Console.MarkupLine(SectorBars.Legend());
        Console.MarkupLineInterpolated($"{response.Sectors.Count} sector(s).");
    }

    private void WritePlain(ListSectorsResponse response)
    {
        var glances = response.Glances.ToDictionary(g => g.Code, StringComparer.Ordinal);
        var writer = Console.Profile.Out.Writer;
        foreach (var sector in response.Sectors)
        {
            var glance = glances.GetValueOrDefault(sector.Code);
            writer.WriteLine(string.Join('\t',
                sector.Code,
                sector.Name,
                AnnexWord(sector.Annex),
                "alert " + (glance is null ? "-" : SectorBars.LevelWord(glance.AlertLevel)),
                "open " + N(sector.OpenIncidentCount),
                glance is null ? "" : SectorBars.Counts(glance.OpenBySeverity)));
        }

        writer.WriteLine($"{response.Sectors.Count} sector(s).");
        writer.Flush();
    }

    public static string AnnexWord(Nis2Annex annex) => annex switch
    {
        Nis2Annex.I => "Annex I",
        Nis2Annex.Ii => "Annex II",
        _ => "-",
    };

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
